import { isValidRootDir } from '@paas/buildpacks';
import type { Db, Tx } from '@paas/db';
import { z } from 'zod';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { configPatchSchema } from '../config/config-input';
import type { SecretBox } from '../crypto/secret-box';
import { parseHealthCheckOverride } from '../deployments/health-checks';
import { notFound, validationError } from '../errors';
import { appNameSchema, parseInput } from './app-input';
import { appTransaction } from './app-transaction';

const reviewAppsSchema = z.object({
  enabled: z.boolean({ error: 'reviewApps.enabled must be true or false' }),
  /** Applied to the parent's config in each review app: a value sets a var, null removes it. */
  config: configPatchSchema.optional(),
});

/**
 * PATCH an app's settings: its web health check (`{"healthCheck": {path,
 * intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold}}`, or
 * null for the defaults; the next release uses it) and review apps
 * (`{"reviewApps": {"enabled": true, "config": {"KEY": "value" | null}}}`: a
 * pull request from the app's repository into its branch gets an app of its
 * own, with the app's config and these overrides).
 */
export async function updateAppSettings(deps: { db: Db; secrets: SecretBox }, name: string, input: unknown, actor: Actor) {
  const keys = ['healthCheck', 'reviewApps', 'rootDir', 'cloudAccount'];
  if (typeof input !== 'object' || input === null || !keys.some((k) => k in input)) {
    throw validationError(
      'send {"healthCheck": {...}} (or null for the defaults), {"reviewApps": {"enabled": true}}, {"rootDir": "apps/web"} and/or {"cloudAccount": "name"}',
    );
  }
  const raw = input as { healthCheck?: unknown; reviewApps?: unknown; rootDir?: unknown; cloudAccount?: unknown };
  const cloudAccount = 'cloudAccount' in raw ? parseInput(appNameSchema, raw.cloudAccount) : undefined;
  const rootDir = 'rootDir' in raw ? parseRootDir(raw.rootDir) : undefined;
  const healthCheck = !('healthCheck' in raw)
    ? undefined
    : raw.healthCheck === null
      ? {}
      : parseHealthCheckOverride(raw.healthCheck);
  const reviewApps = 'reviewApps' in raw ? parseInput(reviewAppsSchema.strict(), raw.reviewApps) : undefined;
  return appTransaction(deps.db, async (tx) => {
    const app = await tx.app.findUnique({ where: { name } });
    if (!app || app.deletingAt) throw notFound('app', name);
    if (reviewApps?.enabled && app.parentAppId) throw validationError('a review app cannot have review apps of its own');
    if (reviewApps?.enabled && app.githubRepoId === null) {
      throw validationError(
        'review apps need the app connected to its repository through the GitHub App (PUT /api/v1/apps/:name/github)',
      );
    }
    const account = cloudAccount === undefined ? null : await movableTo(tx, app, cloudAccount);
    const updated = await tx.app.update({
      where: { id: app.id },
      data: {
        ...(account ? { cloudAccountId: account.id } : {}),
        ...(healthCheck !== undefined ? { healthCheck } : {}),
        ...(rootDir !== undefined ? { rootDir } : {}),
        ...(reviewApps
          ? {
              reviewApps: reviewApps.enabled,
              ...(reviewApps.config ? { reviewConfigEnc: deps.secrets.seal(JSON.stringify(reviewApps.config)) } : {}),
            }
          : {}),
      },
    });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'app.settings',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: {
        before: {
          healthCheck: app.healthCheck,
          reviewApps: app.reviewApps,
          rootDir: app.rootDir,
          ...(account ? { cloudAccountId: app.cloudAccountId } : {}),
        },
        // Override values may be secrets: only their names are recorded.
        after: {
          healthCheck: updated.healthCheck,
          reviewApps: updated.reviewApps,
          rootDir: updated.rootDir,
          ...(account ? { cloudAccount: account.name } : {}),
          ...(reviewApps?.config ? { reviewConfigKeys: Object.keys(reviewApps.config) } : {}),
        },
      },
    });
    const runsIn = account ?? (await tx.cloudAccount.findUniqueOrThrow({ where: { id: app.cloudAccountId } }));
    return {
      name: app.name,
      healthCheck: updated.healthCheck,
      reviewApps: updated.reviewApps,
      rootDir: updated.rootDir,
      cloudAccount: runsIn.name,
    };
  });
}

/** '' or null builds from the repository's root; otherwise a relative directory without `.` or `..` segments. */
function parseRootDir(value: unknown): string {
  if (value === null || value === '') return '';
  const dir = typeof value === 'string' ? value.replace(/^\.\/|\/+$/g, '') : null;
  if (dir === null || !isValidRootDir(dir)) {
    throw validationError(
      'rootDir must be a directory of the repository such as "apps/web" (relative; letters, digits, . _ - and /; no ..)',
    );
  }
  return dir;
}

/**
 * Which cloud account an app runs in can change only while nothing of it is
 * there yet: its images, instances, certificates and DNS live in that
 * account, and moving them is a migration, not a setting. Before the first
 * release, the next deploy simply builds in the new account.
 */
async function movableTo(tx: Tx, app: { id: string; teamId: string; cloudAccountId: string }, name: string) {
  const account = await tx.cloudAccount.findUnique({ where: { teamId_name: { teamId: app.teamId, name } } });
  if (!account)
    throw validationError(`there is no cloud account named "${name}" in this team (see Cloud accounts)`, { cloudAccount: name });
  if (account.id === app.cloudAccountId) return null;
  const [releases, builds, domains] = await Promise.all([
    tx.release.count({ where: { appId: app.id } }),
    tx.build.count({ where: { appId: app.id } }),
    tx.domain.count({ where: { appId: app.id } }),
  ]);
  if (releases + builds + domains > 0) {
    throw validationError(
      'an app moves to another cloud account only before its first build: its images, instances and certificates live in the current one. Create a new app in that account and deploy it there, then delete this one',
      { cloudAccount: name },
    );
  }
  if (account.provider === 'aws' && !account.verifiedAt) {
    throw validationError(
      `cloud account "${name}" is not verified yet${account.error ? ` (${account.error})` : ''}: fix it on the Cloud accounts page first`,
      { cloudAccount: name },
    );
  }
  return account;
}

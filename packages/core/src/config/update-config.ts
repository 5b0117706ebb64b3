import type { Db } from '@paas/db';
import { parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { findAppForChange } from '../apps/find-app';
import { lockApp } from '../apps/lock-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import type { SecretBox } from '../crypto/secret-box';
import { deploymentSummary } from '../deployments/deployment-summary';
import { deploymentJobKey } from '../deployments/job-keys';
import { supersedeOlder } from '../deployments/supersede';
import { validationError } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { configPatchSchema, MAX_CONFIG_VARS } from './config-input';

export interface ConfigDeps {
  db: Db;
  queue: JobQueue;
  secrets: SecretBox;
  log: Logger;
}

/**
 * Sets and unsets config vars, encrypted at rest, and makes a new config
 * version (an immutable snapshot). When the app runs a release, a new release
 * with the same build and the new config rolls out; no build. All or nothing:
 * invalid input writes nothing. The audit log names the keys, never the values.
 */
export async function updateConfig(deps: ConfigDeps, appName: string, input: unknown, actor: Actor) {
  const patch = parseInput(configPatchSchema, input);
  const result = await appTransaction(deps.db, async (tx) => {
    const found = await findAppForChange(tx, appName);
    // One config change per app at a time: the version number and the snapshot follow the row lock.
    await lockApp(tx, found.id);
    const rows = await tx.configVar.findMany({ where: { appId: found.id } });
    const current = new Map(rows.map((r) => [r.key, deps.secrets.open(r.valueEnc)]));
    const next = new Map(current);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    if (next.size > MAX_CONFIG_VARS) {
      throw validationError(`an app can have at most ${MAX_CONFIG_VARS} config vars (this change makes ${next.size})`);
    }
    const set = Object.keys(patch).filter((k) => patch[k] !== null && current.get(k) !== patch[k]);
    const unset = Object.keys(patch).filter((k) => patch[k] === null && current.has(k));
    if (set.length === 0 && unset.length === 0)
      return {
        changed: false as const,
        version: (await tx.app.findUniqueOrThrow({ where: { id: found.id } })).configVersion,
        vars: next,
      };

    for (const key of unset) await tx.configVar.delete({ where: { appId_key: { appId: found.id, key } } });
    for (const key of set) {
      const valueEnc = deps.secrets.seal(next.get(key) as string);
      await tx.configVar.upsert({
        where: { appId_key: { appId: found.id, key } },
        create: { appId: found.id, key, valueEnc },
        update: { valueEnc },
      });
    }
    const app = await tx.app.update({ where: { id: found.id }, data: { configVersion: { increment: 1 } } });
    const sorted = Object.fromEntries([...next.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    const snapshot = await tx.configVersion.create({
      data: { appId: app.id, version: app.configVersion, varsEnc: deps.secrets.seal(JSON.stringify(sorted)) },
    });
    const running = await tx.release.findFirst({ where: { appId: app.id, status: 'active' }, select: { id: true } });
    const description = describeChange(set, unset);
    let deployment = null;
    let superseded: string[] = [];
    if (running) {
      deployment = await tx.deployment.create({
        data: {
          appId: app.id,
          kind: 'config',
          step: 'release',
          configVersionId: snapshot.id,
          trigger: 'api',
          description,
          nextCheckAt: new Date(),
        },
      });
      superseded = await supersedeOlder(tx, {
        id: deployment.id,
        appId: app.id,
        kind: 'config',
        trigger: 'api',
        commitSha: null,
      });
    }
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'config.update',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: {
        set,
        unset,
        ...maskedChange(set, unset, current),
        version: app.configVersion,
        ...(deployment ? { deployment: deployment.id } : {}),
      },
    });
    return { changed: true as const, version: app.configVersion, vars: next, deployment, superseded };
  });

  if (result.changed) {
    for (const id of [...(result.deployment ? [result.deployment.id] : []), ...result.superseded]) {
      await deliver(deps.log, 'a config release', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
    }
  }
  return {
    changed: result.changed,
    version: result.version,
    config: Object.fromEntries([...result.vars.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    deployment: result.changed && result.deployment ? deploymentSummary(result.deployment) : null,
  };
}

function describeChange(set: string[], unset: string[]): string {
  const parts = [...(set.length ? [`Set ${set.join(', ')}`] : []), ...(unset.length ? [`Unset ${unset.join(', ')}`] : [])];
  const text = parts.join('; ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

// Before → after of a config change as the audit log shows it: which keys were
// there and which are now, never a value.
const MASK = '••••••';
function maskedChange(set: string[], unset: string[], current: Map<string, string>) {
  const keys = [...set, ...unset];
  return {
    before: Object.fromEntries(keys.map((k) => [k, current.has(k) ? MASK : null])),
    after: Object.fromEntries(keys.map((k) => [k, set.includes(k) ? MASK : null])),
  };
}

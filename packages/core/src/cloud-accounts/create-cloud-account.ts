import type { Db } from '@paas/db';
import { parseInput } from '../apps/app-input';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db-errors';
import { AppError } from '../errors';
import type { CloudInventoryRegistry } from '../ports/cloud-provider';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { ensureDefaultTenancy, ensureTeamCloudAccount } from '../teams/ensure-default-tenancy';
import { createCloudAccountSchema } from './cloud-account-input';

/** POST: records the account, then a worker checks it (it can assume the role, it finds the network). */
export async function createCloudAccount(
  deps: {
    db: Db;
    queue: JobQueue;
    log: Logger;
    clouds: Pick<CloudInventoryRegistry, 'checkSettings'>;
    cloud: { provider: 'local' | 'aws'; region: string };
    teamId?: string;
  },
  input: unknown,
  actor: Actor,
) {
  const { name, region, roleArn, externalId, settings } = parseInput(createCloudAccountSchema, input);
  // Refused before anything is written: an account the provider cannot read would break every page that prices it.
  deps.clouds.checkSettings({ provider: 'aws', region, settings: settings ?? {} });
  try {
    const account = await deps.db.$transaction(async (tx) => {
      const { teamId } = deps.teamId
        ? await ensureTeamCloudAccount(tx, deps.teamId, deps.cloud)
        : await ensureDefaultTenancy(tx, deps.cloud);
      const created = await tx.cloudAccount.create({
        data: {
          teamId,
          name,
          provider: 'aws',
          region,
          authMethod: roleArn ? 'assume_role' : 'instance_profile',
          roleArn: roleArn ?? null,
          externalId: externalId ?? null,
          settings: (settings ?? {}) as object,
        },
      });
      await recordAuditEvent(tx, {
        teamId,
        actor,
        action: 'cloud_account.create',
        targetType: 'cloud_account',
        targetId: created.id,
        data: { name, region, roleArn: roleArn ?? null },
      });
      return created;
    });
    await deliver(deps.log, 'a cloud account check', () =>
      deps.queue.verifyCloudAccount(account.id, { key: `${account.id}.verify` }),
    );
    return cloudAccountView(account);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `a cloud account named "${name}" already exists`, { details: { name } });
    throw error;
  }
}

/** What the API shows of an account: never the ExternalId. */
export function cloudAccountView(a: {
  name: string;
  provider: string;
  region: string;
  authMethod: string;
  roleArn: string | null;
  awsAccountId: string | null;
  verifiedAt: Date | null;
  error: string | null;
}) {
  return {
    name: a.name,
    provider: a.provider,
    region: a.region,
    auth: a.authMethod,
    roleArn: a.roleArn,
    awsAccountId: a.awsAccountId,
    status: a.error ? 'failed' : a.verifiedAt ? 'verified' : a.provider === 'local' ? 'verified' : 'checking',
    error: a.error,
  };
}

export async function listCloudAccounts(deps: { db: Db }, scope: { teamId?: string } = {}) {
  const accounts = await deps.db.cloudAccount.findMany({
    where: scope.teamId ? { teamId: scope.teamId } : {},
    orderBy: { createdAt: 'asc' },
  });
  return accounts.map(cloudAccountView);
}

import type { Db } from '@paas/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { ensureDefaultTenancy } from './ensure-default-tenancy';

// One install, one first owner, even when two sign-ups race: the claim runs
// under a transaction-scoped advisory lock.
const FIRST_OWNER_LOCK = 7_401_001;

export async function isFreshInstall(deps: { db: Db }): Promise<boolean> {
  return (await deps.db.user.count()) === 0;
}

/**
 * Makes a just-created user the owner of the platform's team, if nobody owns
 * anything yet. Whoever loses a race gets 409 (and their user is removed by
 * the caller, so nothing is left half-made).
 */
export async function claimFirstOwner(
  deps: { db: Db; cloud: { provider: 'local' | 'aws'; region: string } },
  user: { id: string; email: string },
  ip: string | null,
) {
  return deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_OWNER_LOCK})`;
    if ((await tx.membership.count()) > 0) {
      throw new AppError('conflict', 'this platform already has an owner: ask them for an invitation');
    }
    const { teamId } = await ensureDefaultTenancy(tx, deps.cloud);
    await tx.membership.create({ data: { teamId, userId: user.id, role: 'owner' } });
    await recordAuditEvent(tx, {
      teamId,
      actor: { type: 'user', id: user.id, label: user.email, ip },
      action: 'team.owner.claim',
      targetType: 'user',
      targetId: user.id,
      data: { email: user.email },
    });
    return { teamId };
  });
}

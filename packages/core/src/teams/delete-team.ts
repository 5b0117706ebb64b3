import type { Db } from '@paas/db';
import { authorize, type Caller } from '../access/caller';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { DEFAULT_TEAM_SLUG } from './ensure-default-tenancy';

/**
 * Deletes the caller's team. Its apps own cloud resources, so they must be
 * deleted first (each through its own teardown); the platform's team stays.
 */
export async function deleteTeam(deps: { db: Db }, caller: Caller) {
  authorize(caller, 'team.delete');
  if (caller.teamSlug === DEFAULT_TEAM_SLUG) {
    throw new AppError('conflict', "the platform's own team cannot be deleted");
  }
  return deps.db.$transaction(async (tx) => {
    const apps = await tx.app.count({ where: { teamId: caller.teamId } });
    if (apps > 0) throw new AppError('conflict', `the team still has ${apps} app(s): delete them first`);
    await recordAuditEvent(tx, {
      teamId: null,
      actor: caller.actor,
      action: 'team.delete',
      targetType: 'team',
      targetId: caller.teamId,
      data: { slug: caller.teamSlug },
    });
    await tx.cloudAccount.deleteMany({ where: { teamId: caller.teamId } });
    await tx.team.delete({ where: { id: caller.teamId } });
    return { slug: caller.teamSlug };
  });
}

import type { Db } from '@paas/db';
import { authorize, type Caller } from '../access/caller';
import { recordAuditEvent } from '../audit/record-audit-event';
import { notFound } from '../errors';
import { ensureAnotherOwner, ensureMayManage } from './owner-guard';

/**
 * Removes someone from the team (or lets anyone leave it). Their tokens for the
 * team stop working at once; their sessions stay, for their other teams.
 */
export async function removeMember(deps: { db: Db; now(): Date }, caller: Caller, userId: string) {
  if (userId !== caller.userId) authorize(caller, 'member.manage');
  return deps.db.$transaction(async (tx) => {
    const membership = await tx.membership
      .findUnique({ where: { teamId_userId: { teamId: caller.teamId, userId } }, include: { user: true } })
      .catch(() => null);
    if (!membership) throw notFound('member', userId);
    if (userId !== caller.userId) ensureMayManage(caller, membership.role);
    if (membership.role === 'owner') await ensureAnotherOwner(tx, caller.teamId, userId);
    await tx.membership.delete({ where: { id: membership.id } });
    await tx.apiToken.updateMany({
      where: { teamId: caller.teamId, userId, revokedAt: null },
      data: { revokedAt: deps.now() },
    });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: userId === caller.userId ? 'member.leave' : 'member.remove',
      targetType: 'user',
      targetId: userId,
      data: { email: membership.user.email, before: { role: membership.role } },
    });
    return { userId, email: membership.user.email };
  });
}

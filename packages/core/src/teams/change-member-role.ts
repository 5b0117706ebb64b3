import type { Db } from '@paas/db';
import { z } from 'zod';
import { authorize, type Caller } from '../access/caller';
import { parseInput } from '../apps/app-input';
import { recordAuditEvent } from '../audit/record-audit-event';
import { notFound } from '../errors';
import { ensureAnotherOwner, ensureMayManage } from './owner-guard';
import { roleSchema } from './team-input';

const changeRoleSchema = z.strictObject({ role: roleSchema });

export async function changeMemberRole(deps: { db: Db }, caller: Caller, userId: string, input: unknown) {
  authorize(caller, 'member.manage');
  const { role } = parseInput(changeRoleSchema, input);
  return deps.db.$transaction(async (tx) => {
    const membership = await tx.membership
      .findUnique({ where: { teamId_userId: { teamId: caller.teamId, userId } }, include: { user: true } })
      .catch(() => null);
    if (!membership) throw notFound('member', userId);
    ensureMayManage(caller, membership.role, role);
    if (membership.role === 'owner' && role !== 'owner') await ensureAnotherOwner(tx, caller.teamId, userId);
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: 'member.role',
      targetType: 'user',
      targetId: userId,
      data: { email: membership.user.email, before: { role: membership.role }, after: { role } },
    });
    return { userId, email: membership.user.email, role };
  });
}

import type { Db } from '@paas/db';
import { authorize, type Caller, ensureSameTeam } from '../access/caller';
import { recordAuditEvent } from '../audit/record-audit-event';

export async function revokeInvitation(deps: { db: Db; now(): Date }, caller: Caller, invitationId: string) {
  authorize(caller, 'member.manage');
  return deps.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { id: invitationId } }).catch(() => null);
    ensureSameTeam(caller, invitation, 'invitation', invitationId);
    await tx.invitation.updateMany({ where: { id: invitationId, revokedAt: null }, data: { revokedAt: deps.now() } });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: 'member.invite.revoke',
      targetType: 'invitation',
      targetId: invitationId,
      data: { role: invitation?.role, email: invitation?.email ?? null },
    });
    return { id: invitationId };
  });
}

import type { Db } from '@paas/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { findOpenInvitation } from './find-invitation';

/**
 * Joins the invitation's team with its role, once. A link meant for one email
 * works for that email only. Someone already in the team keeps their role.
 */
export async function acceptInvitation(
  deps: { db: Db; now(): Date },
  user: { id: string; email: string },
  token: string,
  ip: string | null,
) {
  return deps.db.$transaction(async (tx) => {
    const invitation = await findOpenInvitation(tx, token, deps.now());
    if (invitation.email && invitation.email !== user.email.toLowerCase()) {
      throw new AppError('forbidden', `this invitation is for ${invitation.email}: sign in with that address`);
    }
    // Claimed atomically: a link accepted twice at once joins once.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null },
      data: { acceptedAt: deps.now(), acceptedById: user.id },
    });
    if (claimed.count === 0) throw new AppError('not_found', 'this invitation link is not valid any more: ask for a new one');
    const existing = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: invitation.teamId, userId: user.id } },
    });
    if (!existing) {
      await tx.membership.create({ data: { teamId: invitation.teamId, userId: user.id, role: invitation.role } });
    }
    await recordAuditEvent(tx, {
      teamId: invitation.teamId,
      actor: { type: 'user', id: user.id, label: user.email, ip },
      action: 'member.join',
      targetType: 'user',
      targetId: user.id,
      data: { role: existing?.role ?? invitation.role, invitation: invitation.id },
    });
    return { team: invitation.team, role: existing?.role ?? invitation.role };
  });
}

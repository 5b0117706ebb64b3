import type { Db } from '@paas/db';
import { z } from 'zod';
import { authorize, type Caller } from '../access/caller';
import { roleRank } from '../access/permissions';
import { parseInput } from '../apps/app-input';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { hashToken, newSecretToken } from '../tokens/token-secret';
import { emailSchema, roleSchema } from './team-input';

export const INVITATION_DAYS = 7;

const invitationSchema = z.strictObject({ role: roleSchema, email: emailSchema.optional() });

/**
 * An invitation link with a role. The link is in this answer only (it is the
 * credential); it works once, for 7 days. Nobody grants more than they have.
 */
export async function createInvitation(deps: { db: Db; now(): Date }, caller: Caller, input: unknown) {
  authorize(caller, 'member.manage');
  const { role, email } = parseInput(invitationSchema, input);
  if (roleRank(role) > roleRank(caller.role)) {
    throw new AppError('forbidden', `you cannot invite someone as ${role}: that is more than your own role (${caller.role})`);
  }
  const token = newSecretToken('inv');
  const expiresAt = new Date(deps.now().getTime() + INVITATION_DAYS * 86_400_000);
  const invitation = await deps.db.$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: {
        teamId: caller.teamId,
        role,
        email: email ?? null,
        tokenHash: hashToken(token),
        createdById: caller.userId,
        expiresAt,
      },
    });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: 'member.invite',
      targetType: 'invitation',
      targetId: created.id,
      data: { role, email: email ?? null },
    });
    return created;
  });
  return { id: invitation.id, role, email: invitation.email, expiresAt, token };
}

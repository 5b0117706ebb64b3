import type { Db, Tx } from '@paas/db';
import { AppError } from '../errors';
import { hashToken } from '../tokens/token-secret';

/** An invitation that can still be accepted, by its link's token; 404 otherwise (used, revoked, expired or made up). */
export async function findOpenInvitation(db: Db | Tx, token: string, now: Date) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { team: { select: { id: true, name: true, slug: true } } },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) {
    throw new AppError('not_found', 'this invitation link is not valid any more: ask for a new one');
  }
  return invitation;
}

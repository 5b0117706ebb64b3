import type { Db } from '@paas/db';
import type { Caller } from '../access/caller';
import { lowerRole } from '../access/permissions';
import { AppError } from '../errors';
import { hashToken } from './token-secret';

// lastUsedAt is written at most this often per token: a busy script must not
// turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The caller an API token stands for, or 401. A token acts with the lower of
 * its own role and its user's current role in the team, so removing someone
 * from a team, or demoting them, takes effect on their tokens at once.
 */
export async function authenticateApiToken(deps: { db: Db; now(): Date }, token: string, ip: string | null): Promise<Caller> {
  const row = await deps.db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { team: { select: { slug: true } }, user: { select: { id: true, email: true } } },
  });
  const now = deps.now();
  if (!row || row.revokedAt) throw new AppError('unauthorized', 'invalid or revoked token');
  if (row.expiresAt && row.expiresAt <= now) throw new AppError('unauthorized', 'this token has expired: create a new one');
  if (!row.user) throw new AppError('unauthorized', 'invalid or revoked token');
  const membership = await deps.db.membership.findUnique({
    where: { teamId_userId: { teamId: row.teamId, userId: row.user.id } },
  });
  if (!membership) throw new AppError('unauthorized', "this token's user is no longer a member of its team");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    actor: { type: 'token', id: row.id, label: `${row.user.email} (token ${row.name})`, ip },
    userId: row.user.id,
    email: row.user.email,
    teamId: row.teamId,
    teamSlug: row.team.slug,
    role: lowerRole(row.role, membership.role),
    via: 'token',
  };
}

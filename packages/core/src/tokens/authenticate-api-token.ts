import type { Db } from '@paas/db';
import type { Caller } from '../access/caller';
import { lowerRole, type Role } from '../access/permissions';
import { AppError } from '../errors';
import { hashToken } from './token-secret';

interface TokenRow {
  id: string;
  name: string;
  teamId: string;
  role: Role;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  teamSlug: string;
  userId: string;
  email: string;
  memberRole: Role | null;
}

// lastUsedAt is written at most this often per token: a busy script must not
// turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The caller an API token stands for, or 401. A token acts with the lower of
 * its own role and its user's current role in the team, so removing someone
 * from a team, or demoting them, takes effect on their tokens at once.
 */
export async function authenticateApiToken(deps: { db: Db; now(): Date }, token: string, ip: string | null): Promise<Caller> {
  // Every API call runs this: one query (token, team, user, membership) rather than four.
  const [row] = await deps.db.$queryRaw<TokenRow[]>`
    SELECT t."id", t."name", t."teamId", t."role"::text AS "role", t."expiresAt", t."revokedAt", t."lastUsedAt",
           tm."slug" AS "teamSlug", u."id" AS "userId", u."email", m."role"::text AS "memberRole"
    FROM "ApiToken" t
    JOIN "Team" tm ON tm."id" = t."teamId"
    JOIN "User" u ON u."id" = t."userId"
    LEFT JOIN "Membership" m ON m."teamId" = t."teamId" AND m."userId" = t."userId"
    WHERE t."tokenHash" = ${hashToken(token)}`;
  const now = deps.now();
  if (!row || row.revokedAt) throw new AppError('unauthorized', 'invalid or revoked token');
  if (row.expiresAt && row.expiresAt <= now) throw new AppError('unauthorized', 'this token has expired: create a new one');
  if (!row.memberRole) throw new AppError('unauthorized', "this token's user is no longer a member of its team");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    actor: { type: 'token', id: row.id, label: `${row.email} (token ${row.name})`, ip },
    userId: row.userId,
    email: row.email,
    teamId: row.teamId,
    teamSlug: row.teamSlug,
    role: lowerRole(row.role, row.memberRole),
    via: 'token',
  };
}

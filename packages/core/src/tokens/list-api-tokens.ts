import type { Db } from '@paas/db';
import type { Caller } from '../access/caller';

/** The caller's own tokens in the current team, newest first; never the secret. */
export async function listApiTokens(deps: { db: Db; now(): Date }, caller: Caller) {
  const rows = await deps.db.apiToken.findMany({
    where: { teamId: caller.teamId, userId: caller.userId },
    orderBy: { createdAt: 'desc' },
  });
  const now = deps.now();
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    hint: t.hint,
    role: t.role,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
    state: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
  }));
}

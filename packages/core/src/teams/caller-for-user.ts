import type { Db } from '@paas/db';
import type { Caller } from '../access/caller';
import { AppError } from '../errors';

/**
 * A signed-in user acting on one of their teams: the one named (a slug the
 * browser remembers), else their first. 403 when they belong to none.
 */
export async function callerForUser(
  deps: { db: Db },
  user: { id: string; email: string },
  opts: { teamSlug?: string | null; ip?: string | null } = {},
): Promise<Caller> {
  const memberships = await deps.db.membership.findMany({
    where: { userId: user.id },
    include: { team: { select: { slug: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const chosen = memberships.find((m) => m.team.slug === opts.teamSlug) ?? memberships[0];
  if (!chosen) throw new AppError('forbidden', 'you are not a member of any team: ask a team admin for an invitation');
  return {
    actor: { type: 'user', id: user.id, label: user.email, ip: opts.ip ?? null },
    userId: user.id,
    email: user.email,
    teamId: chosen.teamId,
    teamSlug: chosen.team.slug,
    role: chosen.role,
    via: 'session',
  };
}

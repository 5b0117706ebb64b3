import type { Db } from '@paas/db';

/** The teams a user belongs to, with their role in each: the team switcher. */
export async function listMyTeams(deps: { db: Db }, userId: string) {
  const memberships = await deps.db.membership.findMany({
    where: { userId },
    include: { team: true },
    orderBy: { createdAt: 'asc' },
  });
  return memberships.map((m) => ({ slug: m.team.slug, name: m.team.name, role: m.role }));
}

import type { Db } from '@paas/db';
import { authorize, type Caller } from '../access/caller';
import { can } from '../access/permissions';

/** The team's members; open invitations too, for those who manage members. */
export async function listTeamMembers(deps: { db: Db; now(): Date }, caller: Caller) {
  authorize(caller, 'app.read');
  const members = await deps.db.membership.findMany({
    where: { teamId: caller.teamId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const invitations = can(caller.role, 'member.manage')
    ? await deps.db.invitation.findMany({
        where: { teamId: caller.teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: deps.now() } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, role: true, email: true, expiresAt: true, createdAt: true },
      })
    : [];
  return {
    members: members.map((m) => ({
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      since: m.createdAt,
    })),
    invitations,
  };
}

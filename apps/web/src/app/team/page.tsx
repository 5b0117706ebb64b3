import { can, listTeamMembers, ROLES } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { InviteForm } from './invite-form';
import { MemberRow } from './member-row';
import { RevokeInvitation } from './revoke-invitation';

export const dynamic = 'force-dynamic';

export default async function TeamPage() {
  const caller = await pageCaller();
  const { members, invitations } = await listTeamMembers({ db: webContext().db, now: () => new Date() }, caller);
  const manages = can(caller.role, 'member.manage');
  const team = await webContext().db.team.findUniqueOrThrow({ where: { id: caller.teamId }, select: { name: true } });
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">
          {team.name} <span className="text-base font-normal text-slate-500">({caller.teamSlug})</span>
        </h1>
        <p className="text-sm text-slate-600">
          Your role: <strong data-testid="my-role">{caller.role}</strong>. Viewers read; members deploy, scale, roll back and
          cancel; admins also manage config vars, domains, cloud accounts, members and the GitHub App; owners also delete the
          team.
        </p>
      </div>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Members</h2>
        <table className="w-full text-sm" data-testid="members">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-1">Email</th>
              <th>Role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow
                key={m.userId}
                member={{ userId: m.userId, email: m.email, role: m.role }}
                roles={[...ROLES]}
                manages={manages}
                isSelf={m.userId === caller.userId}
              />
            ))}
          </tbody>
        </table>
      </section>
      {manages ? (
        <section className="space-y-3">
          <h2 className="text-lg font-semibold">Invite someone</h2>
          <InviteForm roles={[...ROLES]} />
          {invitations.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="invitations">
              {invitations.map((i) => (
                <li key={i.id} className="flex items-center gap-3">
                  <span>
                    {i.email ?? 'anyone with the link'} as {i.role}, until {i.expiresAt.toISOString().slice(0, 10)}
                  </span>
                  <RevokeInvitation id={i.id} />
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

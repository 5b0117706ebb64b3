import { can, listTeamMembers, ROLES } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { cell, emptyState, faintText, listCard, mutedText, pageTitle, tableBody, tableClass, tableHead, tableWrap } from '../ui';
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
        <h1 className={`${pageTitle} break-words`}>
          {team.name} <span className={`text-base font-normal ${faintText}`}>({caller.teamSlug})</span>
        </h1>
        <p className={`mt-1 text-sm ${mutedText}`}>
          Your role: <strong data-testid="my-role">{caller.role}</strong>. Viewers read; members deploy, scale, roll back and
          cancel; admins also manage config vars, domains, cloud accounts, members and the GitHub App; owners also delete the
          team.
        </p>
      </div>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Members</h2>
        <div className={tableWrap}>
          <table className={tableClass} data-testid="members">
            <thead className={tableHead}>
              <tr>
                <th className={cell}>Email</th>
                <th className={cell}>Role</th>
                <th className={cell} />
              </tr>
            </thead>
            <tbody className={tableBody}>
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
        </div>
      </section>
      {manages ? (
        <section className="space-y-3">
          <h2 className="text-lg font-semibold">Invite someone</h2>
          <InviteForm roles={[...ROLES]} />
          {invitations.length > 0 ? (
            <ul className={`text-sm ${listCard}`} data-testid="invitations">
              {invitations.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 px-4 py-2">
                  <span className="min-w-0 break-words">
                    {i.email ?? 'anyone with the link'} as {i.role}, until {i.expiresAt.toISOString().slice(0, 10)}
                  </span>
                  <RevokeInvitation id={i.id} />
                </li>
              ))}
            </ul>
          ) : (
            <p className={emptyState} data-testid="invitations-empty">
              No open invitations. Create a link above and send it to the person: it works once, for 7 days.
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}

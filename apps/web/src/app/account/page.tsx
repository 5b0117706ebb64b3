import { listApiTokens, listMyTeams, ROLES, roleRank } from '@paas/core';
import { cookies, headers } from 'next/headers';
import { auth, githubSignInAvailable } from '@/server/better-auth';
import { callerFromUser, pageUser, requestIp, TEAM_COOKIE } from '@/server/caller';
import { webContext } from '@/server/context';
import { GithubButton } from '../login/github-button';
import { errorText, inlineCode, mutedText, pageTitle } from '../ui';
import { NewTeam } from './new-team';
import { NewToken } from './new-token';
import { SessionList } from './session-list';
import { TeamSwitch } from './team-switch';
import { TokenList } from './token-list';

export const dynamic = 'force-dynamic';

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const user = await pageUser();
  const h = await headers();
  const ctx = webContext();
  const teams = await listMyTeams(ctx, user.id);
  const current = (await auth().api.getSession({ headers: h }))?.session.id;
  const sessions = await ctx.db.session.findMany({
    where: { userId: user.id, expiresAt: { gt: new Date() } },
    orderBy: { updatedAt: 'desc' },
    select: { id: true, ipAddress: true, userAgent: true, createdAt: true, expiresAt: true },
  });
  const teamSlug = (await cookies()).get(TEAM_COOKIE)?.value ?? null;
  const caller = teams.length > 0 ? await callerFromUser(user, teamSlug, requestIp(h)) : null;
  const tokens = caller ? await listApiTokens({ db: ctx.db, now: () => new Date() }, caller) : [];
  const githubLinked = await ctx.db.account.findFirst({ where: { userId: user.id, providerId: 'github' } });
  const github = await githubSignInAvailable();
  const { error } = await searchParams;
  return (
    <div className="space-y-8">
      <div>
        <h1 className={pageTitle}>Your account</h1>
        <p className={`text-sm break-all ${mutedText}`}>{user.email}</p>
      </div>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Teams</h2>
        {teams.length === 0 ? (
          <p className={`text-sm ${mutedText}`} role="status">
            You are not in any team: open an invitation link, or start a team below.
          </p>
        ) : (
          <TeamSwitch teams={teams} current={caller?.teamSlug ?? null} />
        )}
        <NewTeam />
      </section>
      {caller ? (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">API tokens for {caller.teamSlug}</h2>
          <p className={`text-sm ${mutedText}`}>
            For the CLI and scripts: <code className={inlineCode}>Authorization: Bearer &lt;token&gt;</code>. A token never does
            more than your role in the team.
          </p>
          <NewToken roles={ROLES.filter((r) => roleRank(r) < roleRank(caller.role))} />
          <TokenList
            tokens={tokens.map((t) => ({
              id: t.id,
              name: t.name,
              hint: t.hint,
              role: t.role,
              state: t.state,
              expiresAt: t.expiresAt?.toISOString() ?? null,
              lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            }))}
          />
        </section>
      ) : null}
      {github ? (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">GitHub</h2>
          {error ? (
            <p className={`text-sm ${errorText}`} role="alert">
              Connecting GitHub failed ({error}).
            </p>
          ) : null}
          {githubLinked ? (
            <p className="text-sm" data-testid="github-linked">
              Connected: you can sign in with GitHub.
            </p>
          ) : (
            <div className="w-full sm:max-w-xs">
              <GithubButton label="Connect GitHub" callbackURL="/account" errorCallbackURL="/account" link />
            </div>
          )}
        </section>
      ) : null}
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Sessions</h2>
        <SessionList
          current={current ?? null}
          sessions={sessions.map((s) => ({
            id: s.id,
            ip: s.ipAddress,
            userAgent: s.userAgent,
            since: s.createdAt.toISOString(),
            expiresAt: s.expiresAt.toISOString(),
          }))}
        />
      </section>
    </div>
  );
}

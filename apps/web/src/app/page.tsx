import { can, formatUsd, listApps, type PricedAccount, teamChangeStamp, teamMonthlyCost } from '@paas/core';
import Link from 'next/link';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { CreateApp } from './create-app';
import { LiveRefresh } from './live-refresh';
import { StateBadge } from './state-badge';

export const dynamic = 'force-dynamic';

export default async function AppsPage() {
  const caller = await pageCaller();
  // Read before the list: anything that changes after it is seen as a change.
  const stamp = await teamChangeStamp(webContext().db, caller.teamId);
  const apps = await listApps(webContext(), { teamId: caller.teamId });
  const cost = await teamCost(caller.teamId, apps);
  return (
    <section>
      <div className="mb-6 flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Apps</h1>
        <span className="text-sm text-slate-500">
          {apps.length} total
          {cost.pricedApps > 0 ? (
            <span data-testid="team-cost">
              {' '}
              · AWS ≈ {formatUsd(cost.total)}/month{cost.unknown ? ' and some prices unknown' : ''} (on-demand, prices of{' '}
              {cost.asOf}; traffic extra)
            </span>
          ) : null}
        </span>
      </div>
      <LiveRefresh url={`/api/v1/team/events?since=${encodeURIComponent(stamp)}`} />
      {can(caller.role, 'app.create') ? <CreateApp /> : null}
      {apps.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          {can(caller.role, 'app.create')
            ? 'No apps yet. Create one above (or with `paas apps:create`), then git push to it or push to its repository.'
            : 'No apps in this team yet. Its admins create them.'}
        </div>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="apps-list">
          {apps.map((app) => (
            <li key={app.name}>
              <Link href={`/apps/${app.name}`} className="flex items-center justify-between px-4 py-3 hover:bg-slate-50">
                <div>
                  <div className="font-medium">{app.name}</div>
                  <div className="text-xs text-slate-500">
                    {app.repoUrl || 'git push'} · {app.branch}
                  </div>
                </div>
                <div className="flex items-center gap-3 text-sm">
                  {app.status === 'deleting' ? <StateBadge state="deleting" /> : null}
                  <span className="text-slate-600">{app.activeRelease ? `v${app.activeRelease}` : 'not deployed'}</span>
                  {app.lastDeployment ? <StateBadge state={app.lastDeployment.state} /> : null}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The team's AWS apps priced from Postgres and the shipped price table: no cloud call. */
async function teamCost(teamId: string, apps: Awaited<ReturnType<typeof listApps>>) {
  const { db, clouds } = webContext();
  const accounts = await db.cloudAccount.findMany({ where: { teamId } });
  const priced = new Map<string, PricedAccount>(
    accounts.map((a) => [a.id, { region: a.region, instanceTypes: clouds.forAccount(a).instanceTypes() }]),
  );
  return teamMonthlyCost(apps, priced);
}

import { can, formatUsd, listApps, type PricedAccount, teamChangeStamp, teamMonthlyCost } from '@paas/core';
import Link from 'next/link';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { CreateApp } from '../create-app';
import { LiveRefresh } from '../live-refresh';
import { StateBadge } from '../state-badge';
import { emptyState, faintText, listCard, mutedText, pageTitle } from '../ui';

export const dynamic = 'force-dynamic';

export default async function AppsPage() {
  const caller = await pageCaller();
  // Read before the list: anything that changes after it is seen as a change.
  const stamp = await teamChangeStamp(webContext().db, caller.teamId);
  const apps = await listApps(webContext(), { teamId: caller.teamId });
  const cost = await teamCost(caller.teamId, apps);
  return (
    <section>
      <div className="mb-6 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className={pageTitle}>Apps</h1>
        <span className={`text-sm ${faintText}`}>
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
        <div className={emptyState} data-testid="apps-empty">
          {can(caller.role, 'app.create')
            ? 'No apps yet. Create one above (or with `paas apps:create`), then git push to it or push to its repository.'
            : 'No apps in this team yet. Its admins create them.'}
        </div>
      ) : (
        <ul className={listCard} data-testid="apps-list">
          {apps.map((app) => (
            <li key={app.name}>
              <Link
                href={`/apps/${app.name}`}
                className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-800/60"
              >
                <div className="min-w-0 flex-1">
                  <div className="truncate font-medium">{app.name}</div>
                  <div className={`truncate text-xs ${faintText}`}>
                    {app.repoUrl || 'git push'} · {app.branch}
                  </div>
                </div>
                <div className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm">
                  {app.status === 'deleting' ? <StateBadge state="deleting" /> : null}
                  <span className={mutedText}>{app.activeRelease ? `v${app.activeRelease}` : 'not deployed'}</span>
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

import {
  can,
  countApps,
  formatUsd,
  listApps,
  listTeamFormations,
  type PricedAccount,
  teamChangeStamp,
  teamMonthlyCost,
} from '@paas/core';
import Link from 'next/link';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { CreateApp } from '../create-app';
import { LiveRefresh } from '../live-refresh';
import { StateBadge } from '../state-badge';
import { emptyState, faintText, inputClass, linkClass, listCard, mutedText, pageTitle, secondaryButton } from '../ui';

/** Apps per page: a team with a thousand apps gets a fast page and a search box, not a thousand rows. */
const PAGE_SIZE = 50;

export const dynamic = 'force-dynamic';

export default async function AppsPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const caller = await pageCaller();
  const params = await searchParams;
  const search = typeof params.q === 'string' ? params.q.trim().slice(0, 60) : '';
  const page = Math.max(1, Math.min(10_000, Number.parseInt(String(params.page ?? '1'), 10) || 1));
  // Read before the list: anything that changes after it is seen as a change.
  const stamp = await teamChangeStamp(webContext().db, caller.teamId);
  const scope = { teamId: caller.teamId, ...(search ? { search } : {}) };
  const [apps, matching, teamTotal, cost] = await Promise.all([
    listApps(webContext(), { ...scope, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    countApps(webContext(), scope),
    countApps(webContext(), { teamId: caller.teamId }),
    teamCost(caller.teamId),
  ]);
  const first = matching === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(matching, page * PAGE_SIZE);
  const pageLink = (n: number) => `/?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(n) })}`;
  return (
    <section>
      <div className="mb-6 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className={pageTitle}>Apps</h1>
        <span className={`text-sm ${faintText}`}>
          <span data-testid="apps-total">{teamTotal} total</span>
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
      {teamTotal > PAGE_SIZE || search ? (
        <search className="mb-3 block">
          <form className="flex gap-2" action="/">
            <input
              name="q"
              defaultValue={search}
              placeholder="Find an app by name"
              aria-label="Find an app"
              className={inputClass}
            />
            <button type="submit" className={secondaryButton}>
              Find
            </button>
          </form>
        </search>
      ) : null}
      {apps.length === 0 && search ? (
        <div className={emptyState} data-testid="apps-none-found">
          No app of this team has “{search}” in its name.{' '}
          <a href="/" className={linkClass}>
            Show all apps
          </a>
        </div>
      ) : apps.length === 0 ? (
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
      {matching > PAGE_SIZE ? (
        <nav className={`mt-3 flex items-center justify-between text-sm ${mutedText}`} aria-label="Pages of apps">
          <span data-testid="apps-range">
            {first}–{last} of {matching}
          </span>
          <span className="flex gap-3">
            {page > 1 ? (
              <a href={pageLink(page - 1)} className={linkClass} rel="prev">
                Previous
              </a>
            ) : null}
            {last < matching ? (
              <a href={pageLink(page + 1)} className={linkClass} rel="next">
                Next
              </a>
            ) : null}
          </span>
        </nav>
      ) : null}
    </section>
  );
}

/** The team's AWS apps (all of them, not the page) priced from Postgres and the shipped price table: no cloud call. */
async function teamCost(teamId: string) {
  const { db, clouds } = webContext();
  const [accounts, apps] = await Promise.all([
    db.cloudAccount.findMany({ where: { teamId } }),
    listTeamFormations(webContext(), teamId),
  ]);
  const priced = new Map<string, PricedAccount>(
    accounts.map((a) => [a.id, { region: a.region, instanceTypes: clouds.forAccount(a).instanceTypes() }]),
  );
  return teamMonthlyCost(apps, priced);
}

import { can, DEFAULT_TEAM_SLUG, getGithubIntegration, listDeliveries } from '@paas/core';
import { headers } from 'next/headers';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { publicUrls } from '@/server/public-urls';
import { DeliveriesTable } from '../deliveries-table';
import { SyncGithubButton } from './sync-button';

export const dynamic = 'force-dynamic';

/**
 * The platform's GitHub App: made here in one click through GitHub's
 * App-manifest flow, then installed on accounts whose repositories apps deploy from.
 */
export default async function GithubPage({ searchParams }: { searchParams: Promise<{ error?: string; created?: string }> }) {
  const caller = await pageCaller();
  const ctx = webContext();
  const { error, created } = await searchParams;
  // The App and every delivery are the whole install's: only the platform team's admins see and manage them.
  const manages = can(caller.role, 'github.manage') && caller.teamSlug === DEFAULT_TEAM_SLUG;
  if (!manages) return <GithubManagedElsewhere />;
  const [integration, deliveries] = await Promise.all([getGithubIntegration(ctx), listDeliveries(ctx)]);
  const h = await headers();
  const { webhookUrl } = publicUrls(ctx.env, { headers: h, url: `http://${h.get('host') ?? 'localhost'}/github` });
  const app = integration.app;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">GitHub</h1>
      {error ? (
        <p className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800" role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <p className="rounded border border-green-200 bg-green-50 p-3 text-sm text-green-800" data-testid="github-created">
          The GitHub App is ready. Install it on the accounts whose repositories you deploy.
        </p>
      ) : null}

      {app ? (
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="github-app">
          <p>
            App{' '}
            <a href={app.htmlUrl} className="font-semibold text-indigo-600 hover:underline">
              {app.name}
            </a>{' '}
            (id {app.id}), owned by <code>{app.owner}</code>. Deliveries go to <code>{webhookUrl}</code>.
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <a href={app.installUrl} className="rounded bg-indigo-600 px-3 py-1 text-white" data-testid="github-install">
              Install on an account
            </a>
            <SyncGithubButton />
            <span className="text-slate-500">
              {app.syncedAt ? `Read from GitHub ${new Date(app.syncedAt).toLocaleString('en')}` : 'Not read from GitHub yet'}
            </span>
          </div>
          {app.syncError ? <p className="text-red-700">{app.syncError}</p> : null}
        </section>
      ) : (
        <form
          method="get"
          action="/github/setup"
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
          data-testid="github-setup"
        >
          <p>
            Create the platform’s GitHub App: GitHub shows you its name, permissions (read code; write deployments, commit
            statuses and pull request comments) and webhook, and creates it when you confirm. Its keys are stored encrypted here.
          </p>
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col">
              App name (unique on GitHub)
              <input
                name="name"
                required
                minLength={3}
                maxLength={34}
                defaultValue="paas"
                className="rounded border border-slate-300 px-2 py-1"
              />
            </label>
            <label className="flex flex-col">
              Organization (empty: your account)
              <input name="organization" className="rounded border border-slate-300 px-2 py-1" />
            </label>
            <button type="submit" className="rounded bg-indigo-600 px-3 py-1 text-white">
              Create GitHub App
            </button>
          </div>
        </form>
      )}

      <section>
        <h2 className="mb-3 text-lg font-semibold">Installations</h2>
        {integration.installations.length === 0 ? (
          <p className="text-sm text-slate-600">{app ? 'No account has installed the App yet.' : 'Create the App first.'}</p>
        ) : (
          <table className="w-full text-sm" data-testid="github-installations">
            <thead className="text-left text-slate-600">
              <tr>
                <th className="py-1">Repository</th>
                <th>Account</th>
                <th>Visibility</th>
                <th>Apps (branch)</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {integration.installations.flatMap((i) =>
                i.repositories.map((r) => (
                  <tr key={r.id} data-testid={`github-repo-${r.fullName}`}>
                    <td className="py-1.5 font-mono">{r.fullName}</td>
                    <td>
                      {i.account}
                      {i.suspended ? ' (suspended)' : ''}
                    </td>
                    <td>{r.private ? 'private' : 'public'}</td>
                    <td>{r.apps.length ? r.apps.map((a) => `${a.name} (${a.branch})`).join(', ') : '—'}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2 className="mb-3 text-lg font-semibold">Recent deliveries</h2>
        <DeliveriesTable deliveries={deliveries} testId="github-deliveries" />
      </section>
    </div>
  );
}

function GithubManagedElsewhere() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">GitHub</h1>
      <p className="rounded border border-slate-200 bg-white p-4 text-sm text-slate-700" role="status">
        The platform&apos;s GitHub App is managed by the admins of the platform&apos;s own team. Connect an app to one of its
        repositories from the app&apos;s page.
      </p>
    </div>
  );
}

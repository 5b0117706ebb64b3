import { can, DEFAULT_TEAM_SLUG, getGithubIntegration, listDeliveries } from '@paas/core';
import { headers } from 'next/headers';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { publicUrls } from '@/server/public-urls';
import { DeliveriesTable } from '../deliveries-table';
import {
  card,
  cell,
  emptyState,
  errorBanner,
  errorText,
  faintText,
  fieldClass,
  formRow,
  inlineCode,
  labelClass,
  linkClass,
  pageTitle,
  primaryButton,
  sectionTitle,
  successBanner,
  tableBody,
  tableClass,
  tableHead,
  tableWrap,
} from '../ui';
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
      <h1 className={pageTitle}>GitHub</h1>
      {error ? (
        <p className={errorBanner} role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <p className={successBanner} data-testid="github-created">
          The GitHub App is ready. Install it on the accounts whose repositories you deploy.
        </p>
      ) : null}

      {app ? (
        <section className={`space-y-2 text-sm ${card}`} data-testid="github-app">
          <p>
            App{' '}
            <a href={app.htmlUrl} className={`font-semibold ${linkClass}`}>
              {app.name}
            </a>{' '}
            (id {app.id}), owned by <code className={inlineCode}>{app.owner}</code>. Deliveries go to{' '}
            <code className={`break-all ${inlineCode}`}>{webhookUrl}</code>.
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <a href={app.installUrl} className={primaryButton} data-testid="github-install">
              Install on an account
            </a>
            <SyncGithubButton />
            <span className={faintText}>
              {app.syncedAt ? `Read from GitHub ${new Date(app.syncedAt).toLocaleString('en')}` : 'Not read from GitHub yet'}
            </span>
          </div>
          {app.syncError ? <p className={errorText}>{app.syncError}</p> : null}
        </section>
      ) : (
        <form method="get" action="/github/setup" className={`space-y-3 text-sm ${card}`} data-testid="github-setup">
          <p>
            Create the platform’s GitHub App: GitHub shows you its name, permissions (read code; write deployments, commit
            statuses and pull request comments) and webhook, and creates it when you confirm. Its keys are stored encrypted here.
          </p>
          <div className={formRow}>
            <label className={`${labelClass} w-full sm:w-auto`}>
              App name (unique on GitHub)
              <input name="name" required minLength={3} maxLength={34} defaultValue="paas" className={fieldClass} />
            </label>
            <label className={`${labelClass} w-full sm:w-auto`}>
              Organization (empty: your account)
              <input name="organization" className={fieldClass} />
            </label>
            <button type="submit" className={`w-full sm:w-auto ${primaryButton}`}>
              Create GitHub App
            </button>
          </div>
        </form>
      )}

      <section>
        <h2 className={sectionTitle}>Installations</h2>
        {integration.installations.length === 0 ? (
          <p className={emptyState} data-testid="github-installations-empty">
            {app
              ? 'No account has installed the App yet. Install it with the button above, on the accounts whose repositories apps deploy from.'
              : 'Create the App first (above); its installations and their repositories show up here.'}
          </p>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass} data-testid="github-installations">
              <thead className={tableHead}>
                <tr>
                  <th className={cell}>Repository</th>
                  <th className={cell}>Account</th>
                  <th className={cell}>Visibility</th>
                  <th className={cell}>Apps (branch)</th>
                </tr>
              </thead>
              <tbody className={tableBody}>
                {integration.installations.flatMap((i) =>
                  i.repositories.map((r) => (
                    <tr key={r.id} data-testid={`github-repo-${r.fullName}`}>
                      <td className={`${cell} font-mono`}>{r.fullName}</td>
                      <td className={cell}>
                        {i.account}
                        {i.suspended ? ' (suspended)' : ''}
                      </td>
                      <td className={cell}>{r.private ? 'private' : 'public'}</td>
                      <td className={cell}>{r.apps.length ? r.apps.map((a) => `${a.name} (${a.branch})`).join(', ') : '—'}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section>
        <h2 className={sectionTitle}>Recent deliveries</h2>
        <DeliveriesTable
          deliveries={deliveries}
          testId="github-deliveries"
          emptyText={
            app
              ? 'No delivery from GitHub yet. Install the App on an account, then push to one of its repositories: each event shows up here.'
              : 'No delivery from GitHub yet: create the App first.'
          }
        />
      </section>
    </div>
  );
}

function GithubManagedElsewhere() {
  return (
    <div className="space-y-3">
      <h1 className={pageTitle}>GitHub</h1>
      <p className={`text-sm ${card}`} role="status">
        The platform&apos;s GitHub App is managed by the admins of the platform&apos;s own team. Connect an app to one of its
        repositories from the app&apos;s page.
      </p>
    </div>
  );
}

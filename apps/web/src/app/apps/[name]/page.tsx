import {
  appChangeStamp,
  can,
  getApp,
  getConfig,
  getGithubIntegration,
  isAppError,
  isLive,
  listAppDeliveries,
  listDomains,
} from '@paas/core';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageAppCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { publicUrls } from '@/server/public-urls';
import { DeliveriesTable } from '../../deliveries-table';
import { LiveRefresh } from '../../live-refresh';
import { StateBadge } from '../../state-badge';
import { AppWebhookSecret } from './app-webhook-secret';
import { CancelButton } from './cancel-button';
import { ConfigVars } from './config-vars';
import { ConnectRepository } from './connect-repository';
import { DeleteApp } from './delete-app';
import { DeployButton } from './deploy-button';
import { Domains } from './domains';
import { HealthCheckSettings } from './health-check-settings';
import { LogStream } from './log-stream';
import { ReviewApps } from './review-apps';
import { RollbackButton } from './rollback-button';
import { RootDir } from './root-dir';
import { ScaleSlider } from './scale-slider';

export const dynamic = 'force-dynamic';

export default async function AppPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const caller = await pageAppCaller(name);
  // Read before the page's data: anything that changes after it is seen as a change.
  const appRow = await webContext().db.app.findUniqueOrThrow({ where: { name }, select: { id: true } });
  const stamp = (await appChangeStamp(webContext().db, appRow.id)) ?? '';
  const ctx = webContext();
  let app: Awaited<ReturnType<typeof getApp>>;
  let config: Awaited<ReturnType<typeof getConfig>>;
  let domains: Awaited<ReturnType<typeof listDomains>>;
  let deliveries: Awaited<ReturnType<typeof listAppDeliveries>>;
  const github = await getGithubIntegration(ctx, { teamId: caller.teamId });
  try {
    app = await getApp(ctx, name);
    config = await getConfig(ctx, name);
    // Viewers see which keys are set, never their values.
    if (!can(caller.role, 'config.read')) config = { ...config, vars: maskValues(config.vars) };
    domains = await listDomains(ctx, name);
    deliveries = await listAppDeliveries(ctx, name);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const port = ctx.env.PAAS_CLOUD === 'local' ? `:${ctx.env.PAAS_ROUTER_PORT}` : '';
  const h = await headers();
  const { dashboardUrl } = publicUrls(ctx.env, { headers: h, url: `http://${h.get('host') ?? 'localhost'}/` });
  const deleting = app.status === 'deleting';

  return (
    <div className="space-y-8">
      {/* The page reads Postgres only (the worker records what runs), so refreshing costs the cloud nothing. */}
      <LiveRefresh url={`/api/v1/apps/${encodeURIComponent(app.name)}/events?since=${encodeURIComponent(stamp)}`} goneTo="/" />
      {caller.role === 'viewer' ? (
        <p className="rounded border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-700" role="status">
          You are a viewer in this team: you can look at everything here, and change nothing.
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold" data-testid="app-name">
            {app.name} {deleting ? <StateBadge state="deleting" /> : null}
          </h1>
          <p className="text-sm text-slate-600">
            {app.repoUrl || 'no repository: git push to deploy'} · branch <code>{app.branch}</code>
            {app.activeRelease ? ` · v${app.activeRelease} live` : ' · not deployed yet'}
          </p>
          <p className="mt-1 text-sm">
            {app.urls.map((host) => (
              <a key={host} href={`http://${host}${port}`} className="text-indigo-600 hover:underline">
                http://{host}
                {port}
              </a>
            ))}
          </p>
        </div>
        {deleting ? null : <DeployButton app={app.name} branch={app.branch} />}
      </div>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Formation</h2>
        <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          {app.formation.map((p) => (
            <ScaleSlider
              key={p.type}
              app={app.name}
              type={p.type}
              quantity={p.quantity}
              healthy={p.healthy}
              starting={p.starting}
              failed={p.failed}
              size={p.size}
              pricing={app.pricing}
            />
          ))}
        </div>
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Releases</h2>
        {app.releases.length === 0 ? (
          <p className="text-sm text-slate-600">No releases yet: deploy, or push a commit to {app.branch}.</p>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="releases">
            <tbody className="divide-y divide-slate-200">
              {app.releases.map((r) => (
                <tr key={r.version} data-testid={`release-v${r.version}`}>
                  <td className="px-4 py-2 font-mono">v{r.version}</td>
                  <td className="px-4 py-2">
                    {r.description}
                    <span className="ml-2 text-xs text-slate-500">
                      {r.cause}
                      {r.configVersion !== null ? ` · config v${r.configVersion}` : ''}
                    </span>
                  </td>
                  <td className="px-4 py-2 font-mono text-xs text-slate-500">{r.commitSha?.slice(0, 7) ?? ''}</td>
                  <td className="px-4 py-2 text-right">
                    <StateBadge state={r.status} />
                  </td>
                  <td className="px-4 py-2 text-right">
                    {r.status === 'superseded' && !deleting ? (
                      <RollbackButton app={app.name} version={r.version} commitSha={r.commitSha} description={r.description} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="space-y-3">
        <h2 className="mb-3 text-lg font-semibold">Source</h2>
        <RootDir app={app.name} rootDir={app.rootDir} />
        <ConnectRepository
          app={app.name}
          branch={app.branch}
          connected={app.githubRepositoryId}
          hasGithubApp={github.app !== null}
          hasRepoUrl={app.repoUrl !== ''}
          repositories={github.installations.flatMap((i) => i.repositories.map((r) => ({ id: r.id, fullName: r.fullName })))}
        />
        {app.githubRepositoryId === null ? <AppWebhookSecret app={app.name} has={app.hasWebhookSecret} /> : null}
        <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="git-push">
          <p className="mb-2">Or push to the platform itself (the password is an API token from your Account page):</p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            {`paas git:remote -a ${app.name}      # or: git remote add paas ${dashboardUrl}/git/${app.name}.git\ngit push paas main`}
          </pre>
        </div>
      </section>

      {app.reviewOf ? (
        <p className="text-sm text-slate-600" data-testid="review-of">
          Review app of{' '}
          <a href={`/apps/${app.reviewOf.app}`} className="text-indigo-600 hover:underline">
            {app.reviewOf.app}
          </a>{' '}
          for pull request #{app.reviewOf.pullRequest}: removed when the pull request closes.
        </p>
      ) : (
        <section>
          <h2 className="mb-3 text-lg font-semibold">Review apps</h2>
          <ReviewApps
            app={app.name}
            enabled={app.reviewApps.enabled}
            connected={app.githubRepositoryId !== null}
            apps={app.reviewApps.apps}
          />
        </section>
      )}

      <section>
        <h2 className="mb-3 text-lg font-semibold">GitHub deliveries</h2>
        <DeliveriesTable deliveries={deliveries} testId="app-deliveries" />
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Health check</h2>
        <HealthCheckSettings app={app.name} path={app.healthCheck.path} intervalSeconds={app.healthCheck.intervalSeconds} />
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Domains</h2>
        <Domains app={app.name} domains={domains} />
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Config vars</h2>
        <ConfigVars app={app.name} vars={config.vars} />
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Deployments</h2>
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm" data-testid="deployments">
          <tbody className="divide-y divide-slate-200">
            {app.deployments.map((d) => (
              <tr key={d.id}>
                <td className="px-4 py-2">
                  <Link href={`/apps/${app.name}/deployments/${d.id}`} className="text-indigo-700 hover:underline">
                    {d.description || d.kind}
                  </Link>
                </td>
                <td className="px-4 py-2 text-slate-600">{d.state === 'succeeded' ? 'done' : d.step.replace('_', ' ')}</td>
                <td className="px-4 py-2 text-xs text-red-700">{d.error}</td>
                <td className="px-4 py-2 text-right">
                  <StateBadge state={d.state} />
                </td>
                <td className="px-4 py-2 text-right">
                  {isLive(d.state) ? <CancelButton app={app.name} deploymentId={d.id} requested={d.cancelRequested} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2 className="mb-3 text-lg font-semibold">Logs</h2>
        <LogStream
          url={`/api/v1/apps/${app.name}/logs?tail=200&follow=1`}
          label="runtime-log"
          emptyText="No output from the app's processes yet."
        />
      </section>

      {deleting ? null : (
        <section>
          <h2 className="mb-3 text-lg font-semibold text-red-700">Danger zone</h2>
          <div className="rounded-lg border border-red-200 bg-white p-4">
            <DeleteApp app={app.name} />
          </div>
        </section>
      )}
    </div>
  );
}

function maskValues(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(vars).map((k) => [k, '••••••']));
}

import {
  appChangeStamp,
  appUrl,
  can,
  getApp,
  getAppMetrics,
  getConfig,
  getGithubIntegration,
  isAppError,
  isLive,
  listAppDeliveries,
  listCloudAccounts,
  listDomains,
} from '@paas/core';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageAppCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { appUrlOptions, publicUrls } from '@/server/public-urls';
import { DeliveriesTable } from '../../deliveries-table';
import { LiveRefresh } from '../../live-refresh';
import { roleTitle } from '../../role-title';
import { StateBadge } from '../../state-badge';
import {
  card,
  cell,
  codeBlock,
  emptyState,
  errorText,
  faintText,
  infoBanner,
  inlineCode,
  linkClass,
  mutedText,
  pageTitle,
  sectionTitle,
  tableBody,
  tableClass,
  tableWrap,
} from '../../ui';
import { AppWebhookSecret } from './app-webhook-secret';
import { AutoscalingForm } from './autoscaling-form';
import { CancelButton } from './cancel-button';
import { CloudAccountSetting } from './cloud-account-setting';
import { ConfigVars } from './config-vars';
import { ConnectRepository } from './connect-repository';
import { DeleteApp } from './delete-app';
import { DeployButton } from './deploy-button';
import { Domains } from './domains';
import { HealthCheckSettings } from './health-check-settings';
import { LogStream } from './log-stream';
import { MetricsCharts } from './metrics-charts';
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
  let metrics: Awaited<ReturnType<typeof getAppMetrics>>;
  const github = await getGithubIntegration(ctx, { teamId: caller.teamId });
  const accounts = await listCloudAccounts(ctx, { teamId: caller.teamId });
  try {
    app = await getApp(ctx, name);
    config = await getConfig(ctx, name);
    // Viewers see which keys are set, never their values.
    if (!can(caller.role, 'config.read')) config = { ...config, vars: maskValues(config.vars) };
    domains = await listDomains(ctx, name);
    deliveries = await listAppDeliveries(ctx, name);
    metrics = await getAppMetrics(ctx, name, '1h');
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const urlOf = (host: string) => appUrl(appUrlOptions(ctx.env), host);
  const h = await headers();
  const { dashboardUrl } = publicUrls(ctx.env, { headers: h, url: `http://${h.get('host') ?? 'localhost'}/` });
  const deleting = app.status === 'deleting';
  // What the caller's role may do here: the rest is shown disabled (the server refuses it anyway).
  const canDeploy = can(caller.role, 'app.deploy');
  const canScale = can(caller.role, 'app.scale');
  const canRollback = can(caller.role, 'app.rollback');
  const canCancel = can(caller.role, 'deployment.cancel');
  const canEditConfig = can(caller.role, 'config.write');
  const canEditDomains = can(caller.role, 'domain.write');
  const canEditSettings = can(caller.role, 'app.settings');
  const canDelete = can(caller.role, 'app.delete');

  return (
    <div className="space-y-8">
      {/* The page reads Postgres only (the worker records what runs), so refreshing costs the cloud nothing. */}
      <LiveRefresh url={`/api/v1/apps/${encodeURIComponent(app.name)}/events?since=${encodeURIComponent(stamp)}`} goneTo="/" />
      {caller.role === 'viewer' ? (
        <p className={infoBanner} role="status">
          You are a viewer in this team: you can look at everything here, and change nothing.
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className={`${pageTitle} break-words`} data-testid="app-name">
            {app.name} {deleting ? <StateBadge state="deleting" /> : null}
          </h1>
          <p className={`mt-1 text-sm break-words ${mutedText}`}>
            {app.repoUrl || 'no repository: git push to deploy'} · branch <code className={inlineCode}>{app.branch}</code>
            {app.activeRelease ? ` · v${app.activeRelease} live` : ' · not deployed yet'}
          </p>
          <p className="mt-1 flex flex-wrap gap-x-3 text-sm break-all">
            {app.urls.map((host) => (
              <a key={host} href={urlOf(host)} className={linkClass}>
                {urlOf(host)}
              </a>
            ))}
          </p>
        </div>
        {deleting ? null : <DeployButton app={app.name} branch={app.branch} canDeploy={canDeploy} />}
      </div>

      <section>
        <h2 className={sectionTitle}>Formation</h2>
        <div className={`space-y-4 ${card}`}>
          {app.formation.length === 0 ? (
            <p className={`text-sm ${mutedText}`}>
              Process types appear with the first release (from its Procfile or buildpack).
            </p>
          ) : null}
          {app.formation.map((p) => (
            <div key={p.type} className="space-y-1">
              <ScaleSlider
                app={app.name}
                type={p.type}
                quantity={p.quantity}
                healthy={p.healthy}
                starting={p.starting}
                failed={p.failed}
                size={p.size}
                sizes={app.sizes}
                autoscaling={p.autoscaling}
                desired={p.desired}
                pricing={app.pricing}
                canScale={canScale}
              />
              <AutoscalingForm
                app={app.name}
                type={p.type}
                quantity={p.quantity}
                autoscaling={p.autoscaling}
                disabled={!canScale}
                disabledReason={roleTitle(canScale, 'app.scale')}
              />
            </div>
          ))}
        </div>
      </section>

      <section>
        <h2 className={sectionTitle}>Metrics</h2>
        <MetricsCharts app={app.name} initial={metrics} />
      </section>

      <section>
        <h2 className={sectionTitle}>Releases</h2>
        {app.releases.length === 0 ? (
          <p className={emptyState} data-testid="releases-empty">
            No releases yet: deploy, or push a commit to {app.branch}.
          </p>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass} data-testid="releases">
              <tbody className={tableBody}>
                {app.releases.map((r) => (
                  <tr key={r.version} data-testid={`release-v${r.version}`}>
                    <td className={`${cell} font-mono`}>v{r.version}</td>
                    <td className={`${cell} min-w-48`}>
                      {r.description}
                      <span className={`ml-2 text-xs ${faintText}`}>
                        {r.cause}
                        {r.stack ? ` · ${r.stack}` : ''}
                        {r.configVersion !== null ? ` · config v${r.configVersion}` : ''}
                      </span>
                    </td>
                    <td className={`${cell} font-mono text-xs ${faintText}`}>{r.commitSha?.slice(0, 7) ?? ''}</td>
                    <td className={`${cell} text-right`}>
                      <StateBadge state={r.status} />
                    </td>
                    <td className={`${cell} text-right`}>
                      {r.status === 'superseded' && !deleting ? (
                        <RollbackButton
                          app={app.name}
                          version={r.version}
                          commitSha={r.commitSha}
                          description={r.description}
                          canRollback={canRollback}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="space-y-3">
        <h2 className={sectionTitle}>Where it runs</h2>
        <CloudAccountSetting
          app={app.name}
          current={app.cloudAccount}
          region={app.region}
          accounts={accounts}
          movable={app.releases.length === 0 && app.deployments.length === 0 && domains.length === 0}
          canEdit={canEditSettings}
        />
      </section>

      <section className="space-y-3">
        <h2 className={sectionTitle}>Source</h2>
        <RootDir app={app.name} rootDir={app.rootDir} canEdit={canEditSettings} />
        <ConnectRepository
          app={app.name}
          branch={app.branch}
          connected={app.githubRepositoryId}
          hasGithubApp={github.app !== null}
          hasRepoUrl={app.repoUrl !== ''}
          repositories={github.installations.flatMap((i) => i.repositories.map((r) => ({ id: r.id, fullName: r.fullName })))}
          canEdit={canEditSettings}
        />
        {app.githubRepositoryId === null ? (
          <AppWebhookSecret app={app.name} has={app.hasWebhookSecret} canEdit={canEditSettings} />
        ) : null}
        <div className={`text-sm ${card}`} data-testid="git-push">
          <p className="mb-2">Or push to the platform itself (the password is an API token from your Account page):</p>
          <pre className={codeBlock}>
            {`paas git:remote -a ${app.name}      # or: git remote add paas ${dashboardUrl}/git/${app.name}.git\ngit push paas main`}
          </pre>
        </div>
      </section>

      {app.reviewOf ? (
        <p className={`text-sm ${mutedText}`} data-testid="review-of">
          Review app of{' '}
          <a href={`/apps/${app.reviewOf.app}`} className={linkClass}>
            {app.reviewOf.app}
          </a>{' '}
          for pull request #{app.reviewOf.pullRequest}: removed when the pull request closes.
        </p>
      ) : (
        <section>
          <h2 className={sectionTitle}>Review apps</h2>
          <ReviewApps
            app={app.name}
            enabled={app.reviewApps.enabled}
            connected={app.githubRepositoryId !== null}
            apps={app.reviewApps.apps}
            canEdit={canEditSettings}
          />
        </section>
      )}

      <section>
        <h2 className={sectionTitle}>GitHub deliveries</h2>
        <DeliveriesTable
          deliveries={deliveries}
          testId="app-deliveries"
          emptyText={`No delivery from GitHub for this app yet. Connect its repository above (or give the repository a webhook), then push to ${app.branch}: each push shows up here with what it did.`}
        />
      </section>

      <section>
        <h2 className={sectionTitle}>Health check</h2>
        <HealthCheckSettings
          app={app.name}
          path={app.healthCheck.path}
          intervalSeconds={app.healthCheck.intervalSeconds}
          canEdit={canEditSettings}
        />
      </section>

      <section>
        <h2 className={sectionTitle}>Domains</h2>
        <Domains app={app.name} domains={domains} canEdit={canEditDomains} />
      </section>

      <section>
        <h2 className={sectionTitle}>Config vars</h2>
        <ConfigVars app={app.name} vars={config.vars} canEdit={canEditConfig} />
      </section>

      <section>
        <h2 className={sectionTitle}>Deployments</h2>
        {app.deployments.length === 0 ? (
          <p className={emptyState} data-testid="deployments-empty">
            {app.repoUrl
              ? `No deployments yet. Deploy from the top of this page, or push a commit to ${app.branch}: each build and rollout shows up here.`
              : 'No deployments yet. git push to the platform (the commands are under Source above): each build and rollout shows up here.'}
          </p>
        ) : (
          <div className={tableWrap}>
            <table className={tableClass} data-testid="deployments">
              <tbody className={tableBody}>
                {app.deployments.map((d) => (
                  <tr key={d.id}>
                    <td className={`${cell} min-w-40`}>
                      <Link href={`/apps/${app.name}/deployments/${d.id}`} className={linkClass}>
                        {d.description || d.kind}
                      </Link>
                    </td>
                    <td className={`${cell} whitespace-nowrap ${mutedText}`}>
                      {d.state === 'succeeded' ? 'done' : d.step.replace('_', ' ')}
                    </td>
                    <td className={`${cell} text-xs ${errorText}`}>{d.error}</td>
                    <td className={`${cell} text-right`}>
                      <StateBadge state={d.state} />
                    </td>
                    <td className={`${cell} text-right`}>
                      {isLive(d.state) ? (
                        <CancelButton app={app.name} deploymentId={d.id} requested={d.cancelRequested} canCancel={canCancel} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section>
        <h2 className={sectionTitle}>Logs</h2>
        <LogStream
          url={`/api/v1/apps/${app.name}/logs?tail=200&follow=1`}
          label="runtime-log"
          emptyText="No output from the app's processes yet."
        />
      </section>

      {deleting ? null : (
        <section>
          <h2 className={`${sectionTitle} ${errorText}`}>Danger zone</h2>
          <div className="rounded-lg border border-red-200 bg-white p-4 dark:border-red-900/70 dark:bg-slate-900">
            <DeleteApp app={app.name} canDelete={canDelete} />
          </div>
        </section>
      )}
    </div>
  );
}

function maskValues(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(vars).map((k) => [k, '••••••']));
}

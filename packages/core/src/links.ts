/** Addresses people follow from outside the dashboard (GitHub's deployment and commit statuses). */
export interface PlatformLinks {
  /** A deployment's page on the dashboard, with its steps and build log. */
  deployment(appName: string, deploymentId: string): string;
  /** The URL an app is served at, from one of its hostnames. */
  app(cloudKind: 'local' | 'aws', hostname: string): string;
  /** A pushed commit's tarball, served by the dashboard from the app's own git repository. */
  gitArchive(appName: string, commitSha: string): string;
}

/**
 * The address an app is reached at from one of its host names: PAAS_APP_URL
 * when a proxy fronts the router (`https://{host}`), else the local router's
 * plain HTTP port, or HTTPS on AWS (the load balancer).
 */
export function appUrl(opts: { cloud: 'local' | 'aws'; routerPort: number; template?: string }, hostname: string): string {
  if (opts.template) return opts.template.replace('{host}', hostname);
  return opts.cloud === 'local' ? `http://${hostname}:${opts.routerPort}` : `https://${hostname}`;
}

export function platformLinks(opts: {
  dashboardUrl: string;
  routerPort: number;
  /** PAAS_APP_URL: how app addresses read behind a proxy (`https://{host}`). */
  appUrlTemplate?: string;
  /** Where builds reach the dashboard when that is not its public address (containers: http://web:3000). */
  sourceUrl?: string;
}): PlatformLinks {
  const dashboard = opts.dashboardUrl.replace(/\/$/, '');
  const source = (opts.sourceUrl ?? opts.dashboardUrl).replace(/\/$/, '');
  return {
    deployment: (appName, id) => `${dashboard}/apps/${encodeURIComponent(appName)}/deployments/${id}`,
    app: (kind, hostname) => appUrl({ cloud: kind, routerPort: opts.routerPort, template: opts.appUrlTemplate }, hostname),
    gitArchive: (appName, sha) => `${source}/git/${encodeURIComponent(appName)}.git/archive/${sha}.tar.gz`,
  };
}

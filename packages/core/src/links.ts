/** Addresses people follow from outside the dashboard (GitHub's deployment and commit statuses). */
export interface PlatformLinks {
  /** A deployment's page on the dashboard, with its steps and build log. */
  deployment(appName: string, deploymentId: string): string;
  /** The URL an app is served at, from one of its hostnames. */
  app(cloudKind: 'local' | 'aws', hostname: string): string;
  /** A pushed commit's tarball, served by the dashboard from the app's own git repository. */
  gitArchive(appName: string, commitSha: string): string;
}

export function platformLinks(opts: {
  dashboardUrl: string;
  routerPort: number;
  /** Where builds reach the dashboard when that is not its public address (containers: http://web:3000). */
  sourceUrl?: string;
}): PlatformLinks {
  const dashboard = opts.dashboardUrl.replace(/\/$/, '');
  const source = (opts.sourceUrl ?? opts.dashboardUrl).replace(/\/$/, '');
  return {
    deployment: (appName, id) => `${dashboard}/apps/${encodeURIComponent(appName)}/deployments/${id}`,
    // The local router serves plain HTTP on its port; on AWS the ALB serves HTTPS.
    app: (kind, hostname) => (kind === 'local' ? `http://${hostname}:${opts.routerPort}` : `https://${hostname}`),
    gitArchive: (appName, sha) => `${source}/git/${encodeURIComponent(appName)}.git/archive/${sha}.tar.gz`,
  };
}

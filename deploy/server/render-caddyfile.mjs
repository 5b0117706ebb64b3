// Caddy in front of the platform: the dashboard's host gets a certificate at
// start; app hosts (<app>.<domain> and custom domains) get theirs on demand,
// on their first request, once the platform says it serves that host (the
// `ask` endpoint), so nobody can make the server request certificates for
// names it does not serve.

/**
 * @param {{ domain: string, dashboardHost: string, email?: string, acmeCa?: string, acmeCaRoot?: string,
 *   httpPort: number, httpsPort: number, adminPort: number, webPort: number, webhookPort: number, routerPort: number,
 *   storage: string }} o
 */
export function renderCaddyfile(o) {
  const global = [
    o.email ? `\temail ${o.email}` : null,
    o.acmeCa ? `\tacme_ca ${o.acmeCa}` : null,
    o.acmeCaRoot ? `\tacme_ca_root ${o.acmeCaRoot}` : null,
    o.httpPort !== 80 ? `\thttp_port ${o.httpPort}` : null,
    o.httpsPort !== 443 ? `\thttps_port ${o.httpsPort}` : null,
    `\tadmin 127.0.0.1:${o.adminPort}`,
    `\tstorage file_system ${o.storage}`,
    '\ton_demand_tls {',
    `\t\task http://127.0.0.1:${o.webPort}/api/v1/tls/ask`,
    '\t}',
  ].filter((line) => line !== null);
  // While a platform process restarts (an upgrade), requests wait for it
  // instead of failing: Caddy retries the connection for a few seconds.
  const upstream = (port) => `reverse_proxy 127.0.0.1:${port} {
\t\tlb_try_duration 15s
\t\tlb_try_interval 100ms
\t}`;
  return `# Written by the paas installer (deploy/server/install.sh); it rewrites this file.
{
${global.join('\n')}
}

${o.dashboardHost} {
\thandle /api/webhooks/* {
\t\t${upstream(o.webhookPort).replaceAll('\n\t', '\n\t\t')}
\t}
\thandle {
\t\t${upstream(o.webPort).replaceAll('\n\t', '\n\t\t')}
\t}
}

# Every other host: an app (<app>.${o.domain}) or one of its custom domains.
https:// {
\ttls {
\t\ton_demand
\t}
\t${upstream(o.routerPort)}
}
`;
}

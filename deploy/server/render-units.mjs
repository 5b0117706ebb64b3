import { dirname } from 'node:path';

// The systemd units of a one-server install: the platform's four processes and
// the TLS proxy in front of them. Secrets are never in a unit: each reads the
// environment file, which only root and the platform's user can read.

/** Worker first, proxy last: the order they start and restart in. */
export const PLATFORM_UNITS = ['paas-worker', 'paas-webhooks', 'paas-web', 'paas-router', 'paas-proxy'];

// The worker gives each app a user and a cgroup of its own, which only root
// can make. The local provider's state (routes, instance logs, traffic
// metrics) is root's alone so that apps, each under its own user, cannot read
// it; the router and the dashboard read and write it, so they run as root
// too, reachable only on loopback through the proxy. The webhook receiver
// needs only the database and Redis: it runs as the platform's user. The
// proxy, the one process facing the internet, runs as a user of its own.
const ROOT_PROCESSES = new Set(['worker', 'web', 'router']);

const PROCESS_OF = { 'paas-worker': 'worker', 'paas-webhooks': 'webhooks', 'paas-web': 'web', 'paas-router': 'router' };

/**
 * @param {{ user: string, proxyUser: string, node: string, caddy: string, paths: { current: string, envFile: string, caddyfile: string, proxyData: string } }} o
 * @returns {Record<string, string>} unit file name → contents
 */
export function renderUnits(o) {
  const units = {};
  for (const [unit, name] of Object.entries(PROCESS_OF)) {
    const user = ROOT_PROCESSES.has(name) ? 'root' : o.user;
    units[`${unit}.service`] = `# Written by the paas installer (deploy/server/install.sh); it rewrites this file.
[Unit]
Description=paas ${name}
After=network-online.target postgresql.service redis-server.service
Wants=network-online.target
# One server is the whole platform: keep trying, there is no one else to take over.
StartLimitIntervalSec=0

[Service]
User=${user}
Group=${user === 'root' ? 'root' : o.user}
WorkingDirectory=${o.paths.current}
EnvironmentFile=${o.paths.envFile}
# The Node.js the installer ran with comes first: builds run its npm and node too.
Environment=PATH=${dirname(o.node)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ExecStart=${o.node} scripts/platform.mjs service ${name}
# Started means serving: a restart returns once the process answers on its port.
ExecStartPost=${o.node} scripts/platform.mjs wait-ready ${name}
Restart=always
RestartSec=2
# The drain of retiring app instances (PAAS_DRAIN_TIMEOUT_MS) fits in here.
TimeoutStopSec=45
KillMode=${name === 'worker' ? 'process' : 'control-group'}
${name === 'worker' ? '# Apps run in cgroups of their own and outlive a worker restart: stopping the worker must not stop them.\n' : ''}NoNewPrivileges=${user === 'root' ? 'no' : 'yes'}

[Install]
WantedBy=multi-user.target
`;
  }
  units['paas-proxy.service'] = `# Written by the paas installer (deploy/server/install.sh); it rewrites this file.
[Unit]
Description=paas TLS proxy (Caddy): dashboard and apps over HTTPS, certificates from ACME
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
User=${o.proxyUser}
Group=${o.proxyUser}
Environment=XDG_DATA_HOME=${o.paths.proxyData} XDG_CONFIG_HOME=${o.paths.proxyData}
ExecStart=${o.caddy} run --adapter caddyfile --config ${o.paths.caddyfile}
ExecReload=${o.caddy} reload --adapter caddyfile --config ${o.paths.caddyfile}
Restart=always
RestartSec=2
TimeoutStopSec=10
AmbientCapabilities=CAP_NET_BIND_SERVICE
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
`;
  return units;
}

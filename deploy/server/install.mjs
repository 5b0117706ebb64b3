#!/usr/bin/env node
// The one-server install, run by install.sh as root. Idempotent: run it again
// from a newer checkout to upgrade (a new release is built beside the running
// one, the database migrated, then the processes restarted one at a time while
// the proxy holds requests for them). Nothing is written before every input
// is checked; the secrets file is kept across runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderCaddyfile } from './render-caddyfile.mjs';
import { PLATFORM_UNITS, renderUnits } from './render-units.mjs';

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KEEP_RELEASES = 3;

const say = (message) => process.stdout.write(`\x1b[36m▸\x1b[0m ${message}\n`);
function fail(message) {
  process.stderr.write(`\x1b[31minstall failed:\x1b[0m ${message}\n`);
  process.exit(1);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    if (opts.allowFailure) return null;
    fail(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${r.stderr ? `:\n${r.stderr}` : ''}`);
  }
  return r.stdout ?? '';
}

// ---- inputs, all checked before anything is written -------------------------

const { values: opt } = parseArgs({
  options: {
    domain: { type: 'string' },
    'dashboard-host': { type: 'string' },
    email: { type: 'string' },
    'acme-ca': { type: 'string' },
    'acme-ca-root': { type: 'string' },
    'database-url': { type: 'string' },
    'database-schema': { type: 'string' },
    'redis-url': { type: 'string' },
    'redis-prefix': { type: 'string' },
    user: { type: 'string', default: 'paas' },
    'proxy-user': { type: 'string', default: 'caddy' },
    prefix: { type: 'string', default: '/' },
    'http-port': { type: 'string', default: '80' },
    'https-port': { type: 'string', default: '443' },
    'admin-port': { type: 'string', default: '2019' },
    'web-port': { type: 'string', default: '3000' },
    'webhook-port': { type: 'string', default: '3001' },
    'router-port': { type: 'string', default: '8080' },
    'no-packages': { type: 'boolean', default: false },
    'no-start': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (opt.help) {
  process.stdout.write(readFileSync(join(SOURCE, 'deploy/server/USAGE.txt'), 'utf8'));
  process.exit(0);
}
if (process.getuid?.() !== 0)
  fail('run it as root (sudo): it creates a user, systemd units and files under /etc, /opt and /var/lib');

const problems = [];
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const domain = (opt.domain ?? '').toLowerCase();
if (!domain) problems.push('--domain is required: apps are served at <app>.<domain>, the dashboard at paas.<domain>');
else if (!DNS_NAME.test(domain)) problems.push(`--domain ${opt.domain} is not a DNS name such as apps.example.com`);
const dashboardHost = (opt['dashboard-host'] ?? `paas.${domain}`).toLowerCase();
if (domain && !DNS_NAME.test(dashboardHost)) problems.push(`--dashboard-host ${dashboardHost} is not a DNS name`);
const ports = {};
for (const name of ['http-port', 'https-port', 'admin-port', 'web-port', 'webhook-port', 'router-port']) {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 1 || n > 65535) problems.push(`--${name} ${opt[name]} is not a port (1-65535)`);
  ports[name] = n;
}
if (new Set(Object.values(ports)).size !== Object.keys(ports).length) problems.push('the ports must all differ');
if (opt.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opt.email)) problems.push(`--email ${opt.email} is not an email address`);
if (opt['acme-ca'] && !/^https:\/\//.test(opt['acme-ca'])) problems.push('--acme-ca must be an https:// ACME directory URL');
if (opt['acme-ca-root'] && !existsSync(opt['acme-ca-root']))
  problems.push(`--acme-ca-root ${opt['acme-ca-root']} does not exist`);
if (opt['database-url'] && !/^postgres(ql)?:\/\//.test(opt['database-url']))
  problems.push('--database-url must be a postgresql:// URL');
if (opt['database-schema'] && !/^[a-z_][a-z0-9_]*$/.test(opt['database-schema']))
  problems.push('--database-schema must be a lowercase SQL identifier');
if (opt['redis-url'] && !/^rediss?:\/\//.test(opt['redis-url'])) problems.push('--redis-url must be a redis:// or rediss:// URL');
for (const name of ['user', 'proxy-user'])
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(opt[name])) problems.push(`--${name} ${opt[name]} is not a user name`);
if (!opt.prefix.startsWith('/')) problems.push('--prefix must be an absolute path');
const node = process.execPath;
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 20) problems.push(`Node.js ${process.versions.node} is too old: the platform needs 20 or newer`);
if (!existsSync(join(SOURCE, '.git'))) problems.push(`${SOURCE} is not a git checkout: install from a clone of the platform`);
if (problems.length > 0) fail(`\n  - ${problems.join('\n  - ')}\n  (deploy/server/install.sh --help lists the options)`);

const at = (path) => join(opt.prefix, path);
const paths = {
  etc: at('/etc/paas'),
  envFile: at('/etc/paas/paas.env'),
  caddyfile: at('/etc/paas-proxy/Caddyfile'),
  units: at('/etc/systemd/system'),
  opt: at('/opt/paas'),
  releases: at('/opt/paas/releases'),
  current: at('/opt/paas/current'),
  home: at('/var/lib/paas'),
  data: at('/var/lib/paas/data'),
  proxyData: at('/var/lib/paas-proxy'),
  logs: at('/var/log/paas'),
  pidFile: at('/run/paas/supervise.pid'),
};
const systemd = opt.prefix === '/' && existsSync('/run/systemd/system');

// ---- packages ----------------------------------------------------------------

if (!opt['no-packages']) {
  const hasCommand = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  // [command, package, needed]: no local PostgreSQL or Redis when the install uses existing ones.
  const wanted = [
    ['psql', 'postgresql', !opt['database-url']],
    ['redis-server', 'redis-server', !opt['redis-url']],
    ['caddy', 'caddy', true],
    ['git', 'git', true],
  ];
  const missing = wanted.filter(([bin, , needed]) => needed && !hasCommand(bin)).map(([, pkg]) => pkg);
  if (missing.length > 0) {
    if (spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0)
      fail(`install ${missing.join(', ')} (this installer uses apt-get, which this machine lacks)`);
    say(`Installing ${missing.join(', ')} (apt-get)`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}
const caddy = spawnSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' }).stdout.trim();
if (!caddy) fail('caddy is not installed (apt-get install caddy, or leave out --no-packages)');

// ---- users -------------------------------------------------------------------

const userExists = (name) => spawnSync('getent', ['passwd', name]).status === 0;
mkdirSync(dirname(paths.home), { recursive: true });
if (!userExists(opt.user)) {
  say(`Creating the system user ${opt.user}`);
  run('useradd', ['--system', '--home-dir', paths.home, '--shell', '/usr/sbin/nologin', opt.user]);
}
if (!userExists(opt['proxy-user'])) {
  say(`Creating the system user ${opt['proxy-user']} (the TLS proxy)`);
  run('useradd', ['--system', '--home-dir', paths.proxyData, '--shell', '/usr/sbin/nologin', opt['proxy-user']]);
}
const idOf = (name) => {
  const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
};
const platformId = idOf(opt.user);
const proxyId = idOf(opt['proxy-user']);

// ---- the release: this checkout's files, built -------------------------------

const files = execFileSync('git', ['-C', SOURCE, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
})
  .split('\0')
  .filter((f) => f && existsSync(join(SOURCE, f)) && statSync(join(SOURCE, f)).isFile())
  .sort();
const digest = createHash('sha256');
for (const f of files)
  digest
    .update(f)
    .update('\0')
    .update(readFileSync(join(SOURCE, f)));
const commit = execFileSync('git', ['-C', SOURCE, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
const releaseId = `${commit}-${digest.digest('hex').slice(0, 8)}`;
const release = join(paths.releases, releaseId);

if (existsSync(join(release, '.paas-release-complete'))) say(`Release ${releaseId} is already built`);
else {
  say(`Building release ${releaseId} in ${release}`);
  // Built where it runs (Next.js and the build stamps keep absolute paths);
  // the marker written last tells a finished release from an interrupted one.
  rmSync(release, { recursive: true, force: true });
  mkdirSync(release, { recursive: true });
  chmodSync(release, 0o755);
  for (const f of files) cpSync(join(SOURCE, f), join(release, f), { preserveTimestamps: true });
  // Dependencies, Prisma client, dashboard (next build), as root: the code is
  // not the platform user's to change.
  run(node, ['scripts/platform.mjs', 'build'], {
    cwd: release,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PAAS_WEB_DIST_DIR: '' },
  });
  writeFileSync(join(release, '.paas-release-complete'), `${new Date().toISOString()}\n`);
}

// ---- the environment file (secrets kept across runs) --------------------------

const previous = readEnvFile(paths.envFile);
const secret = (name, bytes) => previous[name] || randomBytes(bytes).toString('hex');
let databaseUrl = opt['database-url'] ?? previous.DATABASE_URL;
const createLocalDatabase = !databaseUrl;
const dbPassword = randomBytes(18).toString('hex');
if (createLocalDatabase) databaseUrl = `postgresql://paas:${dbPassword}@127.0.0.1:5432/paas`;
const publicUrl = `https://${dashboardHost}${ports['https-port'] === 443 ? '' : `:${ports['https-port']}`}`;
const env = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  DATABASE_URL: databaseUrl,
  ...(opt['database-schema'] || previous.DATABASE_SCHEMA
    ? { DATABASE_SCHEMA: opt['database-schema'] ?? previous.DATABASE_SCHEMA }
    : {}),
  REDIS_URL: opt['redis-url'] ?? previous.REDIS_URL ?? 'redis://127.0.0.1:6379',
  PAAS_REDIS_PREFIX: opt['redis-prefix'] ?? previous.PAAS_REDIS_PREFIX ?? 'paas',
  PAAS_SECRET_KEY: secret('PAAS_SECRET_KEY', 32),
  GITHUB_WEBHOOK_SECRET: secret('GITHUB_WEBHOOK_SECRET', 20),
  PAAS_ADMIN_TOKEN: secret('PAAS_ADMIN_TOKEN', 24),
  PAAS_CLOUD: previous.PAAS_CLOUD ?? 'local',
  PAAS_DOMAIN: domain,
  PAAS_PUBLIC_URL: publicUrl,
  PAAS_WEBHOOK_PUBLIC_URL: `${publicUrl}/api/webhooks/github`,
  // Builds fetch pushed commits from the dashboard on loopback, not through the proxy and DNS.
  PAAS_INTERNAL_URL: `http://127.0.0.1:${ports['web-port']}`,
  PAAS_DATA_DIR: paths.data,
  // Only the proxy is reachable from outside; it is the one trusted for X-Forwarded-For.
  PORT: String(ports['web-port']),
  PAAS_WEB_HOST: '127.0.0.1',
  PAAS_WEBHOOK_PORT: String(ports['webhook-port']),
  PAAS_WEBHOOK_HOST: '127.0.0.1',
  PAAS_ROUTER_PORT: String(ports['router-port']),
  PAAS_ROUTER_HOST: '127.0.0.1',
  PAAS_TRUSTED_PROXIES: '127.0.0.1',
  // Apps are reached through the proxy, over HTTPS.
  PAAS_APP_URL: `https://{host}${ports['https-port'] === 443 ? '' : `:${ports['https-port']}`}`,
};

// The database and Redis must answer (and Redis must not evict queue keys)
// before the install goes on: a wrong URL stops it here, with nothing switched.
if (createLocalDatabase) {
  say('Creating the PostgreSQL role and database paas');
  const psql = (sql) =>
    run('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { capture: true });
  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'paas'").trim() === '1') psql(`ALTER ROLE paas PASSWORD '${dbPassword}'`);
  else psql(`CREATE ROLE paas LOGIN PASSWORD '${dbPassword}'`);
  if (psql("SELECT 1 FROM pg_database WHERE datname = 'paas'").trim() !== '1') psql('CREATE DATABASE paas OWNER paas');
}
say('Checking PostgreSQL and Redis, and migrating the database');
run(node, ['deploy/server/check-services.mjs'], { cwd: release, env: { ...process.env, ...env } });
run(node, ['scripts/migrate.mjs'], { cwd: release, env: { ...process.env, ...env } });

mkdirSync(paths.etc, { recursive: true });
chmodSync(paths.etc, 0o750);
chownSync(paths.etc, 0, platformId.gid);
writeAtomic(paths.envFile, renderEnvFile(env), { mode: 0o640, uid: 0, gid: platformId.gid });

// ---- data, proxy, units --------------------------------------------------------

for (const [dir, owner, mode] of [
  // Apps (each its own user) pass through to their images and homes in the data dir.
  [paths.home, platformId, 0o711],
  [paths.data, { uid: 0, gid: 0 }, 0o755],
  [paths.proxyData, proxyId, 0o700],
  [paths.logs, { uid: 0, gid: 0 }, 0o750],
]) {
  mkdirSync(dir, { recursive: true });
  chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, mode);
}
// Beside /etc/paas, not in it: the proxy's user may not enter the secrets' directory.
mkdirSync(dirname(paths.caddyfile), { recursive: true, mode: 0o755 });
writeAtomic(
  paths.caddyfile,
  renderCaddyfile({
    domain,
    dashboardHost,
    email: opt.email,
    acmeCa: opt['acme-ca'],
    acmeCaRoot: opt['acme-ca-root'],
    httpPort: ports['http-port'],
    httpsPort: ports['https-port'],
    adminPort: ports['admin-port'],
    webPort: ports['web-port'],
    webhookPort: ports['webhook-port'],
    routerPort: ports['router-port'],
    storage: paths.proxyData,
  }),
  { mode: 0o644, uid: 0, gid: 0 },
);
const units = renderUnits({
  user: opt.user,
  proxyUser: opt['proxy-user'],
  node,
  caddy,
  paths: { current: paths.current, envFile: paths.envFile, caddyfile: paths.caddyfile, proxyData: paths.proxyData },
});
mkdirSync(paths.units, { recursive: true });
for (const [name, text] of Object.entries(units)) writeAtomic(join(paths.units, name), text, { mode: 0o644, uid: 0, gid: 0 });

// ---- switch and (re)start ------------------------------------------------------

const upgrading = existsSync(paths.current);
const link = `${paths.current}.next`;
rmSync(link, { force: true });
symlinkSync(release, link);
renameSync(link, paths.current);
pruneReleases();

if (opt['no-start']) say('Not starting anything (--no-start)');
else if (systemd) startWithSystemd();
else await startWithSupervisor();

await waitForDashboard();
await waitForProxy();
say(
  [
    `Installed release ${releaseId}.`,
    `  Dashboard     ${publicUrl}  (point ${dashboardHost} and *.${domain} at this server: DNS A/AAAA records)`,
    `  First owner   sign up there with the setup token: sudo grep PAAS_ADMIN_TOKEN ${paths.envFile}`,
    `  Apps          https://<app>.${domain} (certificates are fetched on the first request)`,
    `  Webhook       ${publicUrl}/api/webhooks/github`,
    systemd
      ? "  Logs          journalctl -u 'paas-*'"
      : `  Logs          ${paths.logs}/*.log (systemd is not running here: the units run under deploy/server/supervise.mjs and do not come back after a reboot)`,
    `  Upgrade       git pull, then run this installer again`,
  ].join('\n'),
);

// ---- helpers -------------------------------------------------------------------

function readEnvFile(path) {
  if (!existsSync(path)) return {};
  const values = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)="(.*)"$/.exec(line.trim());
    if (m) values[m[1]] = m[2].replace(/\\(["\\$`])/g, '$1');
  }
  return values;
}

function renderEnvFile(values) {
  const quote = (v) => `"${String(v).replace(/(["\\$`])/g, '\\$1')}"`;
  return [
    "# The platform's environment, read by its systemd units. Written by deploy/server/install.sh,",
    '# which keeps the secrets below across runs. Readable by root and the platform user only.',
    '# Losing PAAS_SECRET_KEY makes stored config vars unreadable: keep it with your backups.',
    ...Object.entries(values).map(([k, v]) => `${k}=${quote(v)}`),
    '',
  ].join('\n');
}

function writeAtomic(path, text, { mode, uid, gid }) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  chownSync(tmp, uid, gid);
  renameSync(tmp, path);
}

function pruneReleases() {
  const all = readdirSync(paths.releases)
    .map((name) => ({ name, at: statSync(join(paths.releases, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of all.slice(KEEP_RELEASES))
    if (join(paths.releases, old.name) !== release) rmSync(join(paths.releases, old.name), { recursive: true, force: true });
}

function startWithSystemd() {
  run('systemctl', ['daemon-reload']);
  // Debian's own caddy.service serves a placeholder page on :80; ours replaces it.
  if (spawnSync('systemctl', ['is-enabled', '--quiet', 'caddy.service']).status === 0) {
    say("Disabling Debian's default caddy.service (paas-proxy takes ports 80 and 443)");
    run('systemctl', ['disable', '--now', 'caddy.service']);
  }
  run('systemctl', ['enable', ...PLATFORM_UNITS.map((u) => `${u}.service`)]);
  if (!upgrading) {
    say('Starting the platform');
    run('systemctl', ['start', ...PLATFORM_UNITS.map((u) => `${u}.service`)]);
    return;
  }
  // One at a time: the proxy retries a restarting process, apps keep running.
  for (const unit of PLATFORM_UNITS.filter((u) => u !== 'paas-proxy')) {
    say(`Restarting ${unit}`);
    run('systemctl', ['restart', `${unit}.service`]);
  }
  run('systemctl', ['reload-or-restart', 'paas-proxy.service']);
}

async function startWithSupervisor() {
  mkdirSync(dirname(paths.pidFile), { recursive: true });
  const pid = existsSync(paths.pidFile) ? Number(readFileSync(paths.pidFile, 'utf8')) : 0;
  if (pid > 0 && isAlive(pid)) {
    // As with systemd: each unit restarts in turn, the proxy reloads.
    say('Restarting the units one at a time (deploy/server/supervise.mjs)');
    const marker = `${paths.pidFile}.restarted`;
    rmSync(marker, { force: true });
    process.kill(pid, 'SIGHUP');
    const deadline = Date.now() + 300_000;
    while (!existsSync(marker)) {
      if (Date.now() > deadline) fail(`the units did not restart within 5 minutes; see ${paths.logs}/*.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return;
  }
  say('systemd is not running here: starting the units under deploy/server/supervise.mjs');
  const out = openSync(join(paths.logs, 'supervise.log'), 'a', 0o640);
  const child = spawn(
    node,
    [
      join(paths.current, 'deploy/server/supervise.mjs'),
      '--log-dir',
      paths.logs,
      '--pid-file',
      paths.pidFile,
      ...PLATFORM_UNITS.map((u) => join(paths.units, `${u}.service`)),
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  closeSync(out);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForDashboard() {
  if (opt['no-start']) return;
  const url = `http://127.0.0.1:${ports['web-port']}/api/health`;
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`the dashboard did not answer ${url} within 3 minutes (${last}); see ${logsHint()}`);
}

/** The proxy takes connections (its certificates may still be on their way: DNS must point here first). */
async function waitForProxy() {
  if (opt['no-start']) return;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: ports['https-port'] });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`the proxy did not listen on port ${ports['https-port']} within a minute; see ${logsHint()}`);
}

function logsHint() {
  return systemd ? "journalctl -u 'paas-*'" : `${paths.logs}/paas-proxy.log and the others there`;
}

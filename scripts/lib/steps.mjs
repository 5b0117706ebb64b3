// Setup steps shared by `npm start`, `npm test` and `npm run bench`. Plain Node
// with built-ins only: this runs on a fresh clone before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const STATE_DIR = join(ROOT, '.paas');

export function say(message) {
  process.stdout.write(`\x1b[36m▸\x1b[0m ${message}\n`);
}

export function fail(message) {
  process.stderr.write(`\n\x1b[31m✖ ${message}\x1b[0m\n`);
  process.exit(1);
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal}`);
}

function hashFiles(paths) {
  const h = createHash('sha256');
  for (const p of paths) if (existsSync(p)) h.update(p).update(readFileSync(p));
  return h.digest('hex');
}

/** npm ci when node_modules is missing or the lockfile changed since the last install. */
export function ensureInstalled() {
  const lock = join(ROOT, 'package-lock.json');
  const stamp = join(ROOT, 'node_modules', '.paas-install-stamp');
  const want = hashFiles([lock, join(ROOT, 'package.json')]);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  say('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(stamp, want);
}

/** Generated Prisma client, offline (no engine download). */
export function ensureGenerated() {
  run(process.execPath, [join(ROOT, 'scripts/prisma-generate.mjs')]);
}

const SECRET_NAMES = ['PAAS_ADMIN_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'PAAS_SECRET_KEY'];

/**
 * Secrets for a local install, made once and kept in .paas/secrets.env (0600,
 * git-ignored). Values already in the environment win.
 */
export function ensureSecrets() {
  const file = join(STATE_DIR, 'secrets.env');
  // An installed platform gets them from its environment file (the service
  // manager's); its code directory is not its to write.
  if (SECRET_NAMES.every((name) => process.env[name])) return { file: null, values: {} };
  mkdirSync(STATE_DIR, { recursive: true });
  if (!existsSync(file)) {
    const lines = [
      '# Generated on first start. Keep private; losing PAAS_SECRET_KEY makes stored config vars unreadable.',
      `PAAS_ADMIN_TOKEN=${randomBytes(24).toString('hex')}`,
      `GITHUB_WEBHOOK_SECRET=${randomBytes(20).toString('hex')}`,
      `PAAS_SECRET_KEY=${randomBytes(32).toString('hex')}`,
      '',
    ];
    writeFileSync(file, lines.join('\n'), { mode: 0o600 });
    say(`Created ${file} with a new admin token, webhook secret and encryption key.`);
  }
  const values = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) values[m[1]] = m[2];
  }
  return { file, values };
}

/** The environment every platform process gets: defaults < .paas/secrets.env < real env. */
export function platformEnv() {
  const { values } = ensureSecrets();
  return {
    DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:5432/paas',
    REDIS_URL: 'redis://127.0.0.1:6379',
    PAAS_DATA_DIR: join(STATE_DIR, 'data'),
    PAAS_ROUTER_PORT: '8080',
    PORT: '3000',
    PAAS_WEBHOOK_PORT: '3001',
    ...values,
    ...Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')),
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/**
 * True when PostgreSQL lets anyone in without the right password (`trust`
 * auth): then any local user, apps included, can reach the platform's data.
 */
export async function databaseTrustsEveryone(databaseUrl) {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  url.password = `not-the-password-${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Fails with the host, the port and how to start the service. */
export async function ensureServices(env) {
  const { default: pg } = await import('pg');
  const url = new URL(env.DATABASE_URL);
  const where = `${url.hostname}:${url.port || 5432}`;
  const dbName = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${where} (${error.message}).\n  Start it (\`docker compose up -d postgres redis\`) or set DATABASE_URL.`,
    );
  }
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (exists.rowCount === 0) {
    say(`Creating database ${dbName}`);
    await client.query(`CREATE DATABASE "${dbName.replaceAll('"', '""')}"`);
  }
  await client.end();

  const { Redis } = await import('ioredis');
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const policy = await redis.config('GET', 'maxmemory-policy').catch(() => null);
    if (policy?.[1] && policy[1] !== 'noeviction') {
      say(`warning: Redis maxmemory-policy is ${policy[1]}; queues need noeviction or jobs may be lost`);
    }
  } catch (error) {
    fail(
      `Redis is not reachable at ${env.REDIS_URL} (${error.message}).\n  Start it (\`docker compose up -d redis\`) or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

export function migrate(env) {
  run(process.execPath, [join(ROOT, 'scripts/migrate.mjs')], { env: { ...process.env, ...env } });
}

function listFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.turbo' || entry.name.startsWith('.next') || entry.name === 'generated')
      continue;
    // Written by `next build` itself (it names the build dir): not a source.
    if (entry.name === 'next-env.d.ts' || entry.name.endsWith('.tsbuildinfo')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** Where `npm start` serves the dashboard from; tests and benchmarks build elsewhere (TEST_WEB_DIST_DIR). */
export const WEB_DIST_DIR = '.next';
export const TEST_WEB_DIST_DIR = '.next-test';

/**
 * `next build` into apps/web/<distDir> unless the build there was made from
 * the same sources. Each dir has its own build, so building one never breaks
 * a server running from the other.
 */
export function ensureWebBuilt(distDir = WEB_DIST_DIR) {
  const sources = [
    ...listFiles(join(ROOT, 'apps/web')),
    ...readdirSync(join(ROOT, 'packages')).flatMap((p) => listFiles(join(ROOT, 'packages', p, 'src'))),
    join(ROOT, 'prisma/schema.prisma'),
    join(ROOT, 'package-lock.json'),
  ].sort();
  const want = hashFiles(sources);
  const out = join(ROOT, 'apps/web', distDir);
  const stamp = join(out, 'paas-build-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want && existsSync(join(out, 'BUILD_ID'))) return;
  say(`Building the dashboard (next build into apps/web/${distDir})…`);
  run(join(ROOT, 'node_modules/.bin/next'), ['build'], {
    cwd: join(ROOT, 'apps/web'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PAAS_WEB_DIST_DIR: distDir },
  });
  writeFileSync(stamp, want);
}

export function spawnTs(entry, env, name) {
  return spawnService(process.execPath, ['--import', 'tsx', join(ROOT, entry)], env, name);
}

const COLORS = { web: 35, worker: 33, router: 32, hooks: 36 };

export function spawnService(cmd, args, env, name, cwd = ROOT) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${COLORS[name] ?? 37}m${name.padEnd(6)}\x1b[0m │ `;
  const pipe = (stream, out) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      let i = buf.indexOf('\n');
      while (i !== -1) {
        out.write(`${prefix + buf.slice(0, i)}\n`);
        child.emit('line', buf.slice(0, i));
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  return child;
}

export async function waitForHttp(url, timeoutMs, isReady = (res) => res.status < 500) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (isReady(res)) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}

export function statMtime(p) {
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

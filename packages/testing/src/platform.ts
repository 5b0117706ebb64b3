import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '@paas/db';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from './database';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

/** Deletes every Redis key under a test's prefix. */
export async function dropRedisPrefix(url: string, prefix: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export type RunningPlatform = Awaited<ReturnType<typeof startPlatform>>;

/**
 * Starts the whole platform exactly as `npm start` does (same script), on a
 * fresh Postgres schema, its own Redis prefix, data dir and ports.
 */
export interface PlatformOptions {
  healthTimeoutMs?: number;
  log?: boolean;
  /** Another Redis (a test that stops and restarts its own). */
  redisUrl?: string;
  /** Extra environment for every platform process. */
  env?: Record<string, string>;
  /** Start through `npm start` (as a user would) instead of the script it runs. */
  viaNpm?: boolean;
  /**
   * Start on an install that already exists (a restored backup): its database,
   * secrets and owner's API token, instead of a fresh schema and a first owner.
   * stop() leaves that database to its caller.
   */
  existing?: {
    databaseUrl: string;
    schema: string;
    secrets: { PAAS_ADMIN_TOKEN: string; GITHUB_WEBHOOK_SECRET: string; PAAS_SECRET_KEY: string };
    ownerToken: string;
    /** Its local provider data dir (removed by stop(), as a fresh one is). */
    dataDir?: string;
  };
}

export async function startPlatform(opts: PlatformOptions = {}) {
  // Tests serve the dashboard from their own build, never the one `npm start` serves.
  const distDir = process.env.PAAS_WEB_DIST_DIR || '.next-test';
  if (!existsSync(join(REPO_ROOT, 'apps/web', distDir, 'BUILD_ID'))) {
    throw new Error(`the dashboard is not built into apps/web/${distDir}: run \`npm test\` (it builds first)`);
  }
  const existing = opts.existing;
  const database: Pick<TestDatabase, 'url' | 'schema' | 'db' | 'drop'> = existing
    ? (() => {
        const db = createDb({ connectionString: existing.databaseUrl, schema: existing.schema });
        return { url: existing.databaseUrl, schema: existing.schema, db, drop: () => db.$disconnect() };
      })()
    : await createTestDatabase();
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-test-${randomBytes(4).toString('hex')}`;
  const dataDir = existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'paas-e2e-'));
  const [webPort, routerPort, webhookPort] = [await freePort(), await freePort(), await freePort()];
  const secrets = existing?.secrets ?? {
    PAAS_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
    PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    PAAS_SKIP_SETUP: '1',
    // As a real install runs: libraries relax checks under NODE_ENV=test (the test runner's).
    NODE_ENV: 'production',
    PAAS_WEB_DIST_DIR: distDir,
    DATABASE_URL: database.url,
    DATABASE_SCHEMA: database.schema,
    REDIS_URL: redisUrl,
    PAAS_REDIS_PREFIX: prefix,
    PAAS_DATA_DIR: dataDir,
    PORT: String(webPort),
    PAAS_ROUTER_PORT: String(routerPort),
    PAAS_ROUTER_HOST: '127.0.0.1',
    PAAS_WEBHOOK_PORT: String(webhookPort),
    PAAS_WEBHOOK_HOST: '127.0.0.1',
    PAAS_RECONCILE_INTERVAL_MS: '2000',
    // Charts a few seconds behind, so tests see traffic without waiting a minute.
    PAAS_METRICS_INTERVAL_MS: '2000',
    PAAS_HEALTH_TIMEOUT_MS: String(opts.healthTimeoutMs ?? 60_000),
    ...opts.env,
  };

  const output: string[] = [];
  const [command, args] = opts.viaNpm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, [join(REPO_ROOT, 'scripts/platform.mjs'), 'start']];
  /** Starts the platform's processes on this database, data dir and ports, and waits for its banner. */
  const launch = async (): Promise<ChildProcess> => {
    const from = output.join('').length;
    const started: ChildProcess = spawn(command as string, args as string[], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (opts.log || process.env.PAAS_TEST_LOG) process.stdout.write(text);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`platform did not start within 90 s:\n${output.join('').slice(-4000)}`)),
        90_000,
      );
      const onData = () => {
        if (output.join('').slice(from).includes('PAAS READY')) {
          clearTimeout(timer);
          res();
        }
      };
      started.stdout?.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`platform exited with ${code} before it was ready:\n${output.join('').slice(-4000)}`));
      });
    });
    return started;
  };
  let child = await launch();
  /** SIGTERM, as a service manager stops it; SIGKILL after 20 s. */
  const terminate = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  const webUrl = `http://127.0.0.1:${webPort}`;
  // The platform's first user, made as a team would (the admin token sets up
  // the owner once), and an API token of theirs that `api()` uses.
  const owner = { email: 'owner@example.test', password: randomBytes(12).toString('hex') };
  let ownerToken: string;
  if (existing) ownerToken = existing.ownerToken;
  else {
    const setup = await fetch(`${webUrl}/api/v1/setup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.PAAS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...owner, name: 'Owner' }),
    });
    if (setup.status !== 201) throw new Error(`setting up the first owner failed: ${setup.status} ${await setup.text()}`);
    ownerToken = ((await setup.json()) as { token: { token: string } }).token.token;
  }
  const api = async (method: string, path: string, body?: unknown, token = ownerToken) => {
    const res = await fetch(`${webUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json, text };
  };

  return {
    webUrl,
    /** Where GitHub delivers (the webhook receiver). */
    webhookUrl: `http://127.0.0.1:${webhookPort}/api/webhooks/github`,
    routerPort,
    dataDir,
    /** DATABASE_URL and DATABASE_SCHEMA the platform runs with. */
    database: { url: database.url, schema: database.schema },
    db: database.db,
    secrets,
    /** The first user (owner of the platform's team) and an API token of theirs. */
    owner: { ...owner, token: ownerToken },
    api,
    /** The process `npm start` (or the platform script) runs as. */
    get pid() {
      return child.pid as number;
    },
    exited: () =>
      child.exitCode === null ? new Promise<number | null>((r) => child.once('exit', r)) : Promise.resolve(child.exitCode),
    output: () => output.join(''),
    /** Stops the platform as a service manager would and starts it again on the same database, data dir and ports. */
    async restart() {
      await terminate();
      child = await launch();
    },
    async stop() {
      await terminate();
      await database.drop();
      await dropRedisPrefix(redisUrl, prefix).catch(() => {});
      // Stops what is left, deletes the app users made for this data dir, removes it.
      const removed = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/remove-local-data.ts'), dataDir], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
      if (removed.status !== 0) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

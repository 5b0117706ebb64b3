import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudInventory } from '@paas/cloud/inventory';
import {
  createSecretBox,
  type DoctorCheck,
  type DoctorDeps,
  ensureDefaultTenancy,
  parseSecretKey,
  runDoctor,
  silentLogger,
} from '@paas/core';
import { createDb } from '@paas/db';
import { createGithubApi } from '@paas/github';
import {
  createTestDatabase,
  type FakeGithub,
  freePort,
  REPO_ROOT,
  startFakeGithub,
  startRedisServer,
  startWorkerProcess,
  type TestDatabase,
} from '@paas/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `paas doctor`'s checks on real services: a Postgres schema of this file's
// own, Redis servers of its own (the shared one on 6379 is never touched),
// the local provider's data dir, and GitHub's API as the local fake.

const MIGRATIONS = join(REPO_ROOT, 'prisma/migrations');

describe('paas doctor checks', () => {
  let database: TestDatabase;
  let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
  let github: FakeGithub;
  let dataDir: string;
  const key = randomBytes(32).toString('hex');
  const clients: Redis[] = [];

  const redisClient = (url: string) => {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2_000,
    });
    client.on('error', () => {});
    clients.push(client);
    return client;
  };

  const deps = (over: Omit<Partial<DoctorDeps>, 'env'> & { env?: Partial<DoctorDeps['env']> } = {}): DoctorDeps => {
    const env = {
      PAAS_SECRET_KEY: key,
      PAAS_DATA_DIR: dataDir,
      PAAS_DOMAIN: 'localhost',
      PAAS_CLOUD: 'local' as const,
      GITHUB_API_URL: github.url,
      ...over.env,
    };
    return {
      db: database.db,
      redis: redisClient(redisServer.url),
      clouds: createCloudInventory(env),
      github: createGithubApi({ apiUrl: github.url, log: silentLogger }),
      migrationsDir: MIGRATIONS,
      timeoutMs: 3_000,
      ...over,
      env,
    };
  };
  const byId = (checks: DoctorCheck[], id: string) => {
    const found = checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${JSON.stringify(checks.map((c) => c.id))}`);
    return found;
  };

  beforeAll(async () => {
    [database, redisServer, github] = await Promise.all([createTestDatabase(), startRedisServer(), startFakeGithub()]);
    dataDir = mkdtempSync(join(tmpdir(), 'paas-doctor-'));
    const box = createSecretBox(parseSecretKey(key));
    // What a used install holds: the platform's team and local account, an app with config vars, the GitHub App.
    const { teamId, cloudAccountId } = await database.db.$transaction((tx) =>
      ensureDefaultTenancy(tx, { provider: 'local', region: 'local' }),
    );
    const app = await database.db.app.create({
      data: {
        teamId,
        cloudAccountId,
        name: 'doctor-app',
        repoUrl: 'https://example.test/a.git',
        repoKey: 'example.test/a',
        branch: 'main',
      },
    });
    await database.db.configVersion.create({ data: { appId: app.id, version: 1, varsEnc: box.seal('{"A":"1"}') } });
    const made = await createGithubApi({ apiUrl: github.url, log: silentLogger }).convertManifest(
      github.manifestCode({ name: 'doctor-test' }),
    );
    await database.db.githubApp.create({
      data: {
        githubAppId: BigInt(made.id),
        slug: made.slug,
        name: made.name,
        ownerLogin: made.ownerLogin,
        htmlUrl: made.htmlUrl,
        clientId: made.clientId,
        clientSecretEnc: box.seal(made.clientSecret),
        privateKeyEnc: box.seal(made.privateKey),
        webhookSecretEnc: box.seal(made.webhookSecret),
      },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all([database?.drop(), redisServer?.stop(), github?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a healthy install: every check ok', async () => {
    const report = await runDoctor(deps());
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(report.status).toBe('ok');
    expect(report.checks.map((c) => c.id)).toEqual([
      'postgres',
      'redis',
      'encryption-key',
      'disk',
      'github-app',
      'cloud-account:local',
      'dns',
    ]);
    expect(byId(report.checks, 'encryption-key').detail).toContain('opens the config vars');
    expect(byId(report.checks, 'github-app').detail).toContain(github.url);
    // The GitHub App was asked with a JWT of its own key.
    expect(github.requests.some((r) => r.path.startsWith('/app/installations') && r.jwt !== null)).toBe(true);
  });

  it('finds prisma/migrations from the working directory when not told', async () => {
    const report = await runDoctor({ ...deps(), migrationsDir: undefined });
    expect(byId(report.checks, 'postgres')).toMatchObject({ status: 'ok' });
  });

  it('a Redis that may evict keys fails, with the command and the redis.conf line', async () => {
    const own = await startRedisServer();
    try {
      const admin = redisClient(own.url);
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const report = await runDoctor(deps({ redis: redisClient(own.url) }));
      const redis = byId(report.checks, 'redis');
      expect(redis.status).toBe('fail');
      expect(redis.detail).toContain('allkeys-lru');
      expect(redis.fix).toContain('redis-cli CONFIG SET maxmemory-policy noeviction');
      expect(redis.fix).toContain('maxmemory-policy noeviction');
      expect(report.status).toBe('fail');
    } finally {
      await own.stop();
    }
  });

  it("a Redis that refuses CONFIG (a managed service) warns to check the provider's console", async () => {
    const own = await startRedisServer();
    try {
      await redisClient(own.url).call('ACL', 'SETUSER', 'default', '-config');
      const redis = byId((await runDoctor(deps({ redis: redisClient(own.url) }))).checks, 'redis');
      expect(redis.status).toBe('warn');
      expect(redis.fix).toContain("provider's console");
    } finally {
      await own.stop();
    }
  });

  it('a wrong encryption key fails: it does not open the config vars', async () => {
    const report = await runDoctor(deps({ env: { PAAS_SECRET_KEY: randomBytes(32).toString('hex') } }));
    const check = byId(report.checks, 'encryption-key');
    expect(check.status).toBe('fail');
    expect(check.detail).toBe(
      'the key does not open the config vars stored in this database: restore the key from your backup (.paas/secrets.env)',
    );
    // The App's private key is sealed with it too.
    expect(byId(report.checks, 'github-app').status).toBe('fail');
  });

  it('the worker refuses to start with a key that does not open the database, and says what to do', async () => {
    const started = startWorkerProcess({
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: database.schema,
      REDIS_URL: redisServer.url,
      PAAS_REDIS_PREFIX: `doctor-${randomBytes(3).toString('hex')}`,
      PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
      PAAS_DATA_DIR: dataDir,
    });
    await expect(started).rejects.toThrow('the key does not open the config vars stored in this database');
    await expect(started).rejects.toThrow('Set PAAS_SECRET_KEY to the key this database was sealed with');
  });

  it('the worker refuses to start on an unreachable or unmigrated database, saying what to do', async () => {
    const env = {
      REDIS_URL: redisServer.url,
      PAAS_REDIS_PREFIX: `doctor-${randomBytes(3).toString('hex')}`,
      PAAS_SECRET_KEY: key,
      PAAS_DATA_DIR: dataDir,
    };
    const unreachable = startWorkerProcess({ ...env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/paas' });
    await expect(unreachable).rejects.toThrow(
      "PostgreSQL is not reachable with DATABASE_URL (Can't reach database server at 127.0.0.1:1). Fix: Check DATABASE_URL",
    );
    // A schema nothing was ever migrated into.
    const empty = startWorkerProcess({
      ...env,
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: `never_${randomBytes(4).toString('hex')}`,
    });
    await expect(empty).rejects.toThrow('PostgreSQL answers, but no migration was ever applied to this database.');
  });

  it('a malformed or missing key fails with how to set it', async () => {
    const malformed = byId((await runDoctor(deps({ env: { PAAS_SECRET_KEY: 'short' } }))).checks, 'encryption-key');
    expect(malformed).toMatchObject({ status: 'fail' });
    expect(malformed.fix).toContain('PAAS_SECRET_KEY');
    const missing = byId((await runDoctor(deps({ env: { PAAS_SECRET_KEY: undefined } }))).checks, 'encryption-key');
    expect(missing.status).toBe('fail');
    expect(missing.fix).toContain('.paas/secrets.env');
  });

  it('GitHub refusing the App’s credentials fails with where to look', async () => {
    const other = await startFakeGithub();
    try {
      // Another GitHub, which never made this App: the JWT is refused as for a deleted App.
      const report = await runDoctor(
        deps({ github: createGithubApi({ apiUrl: other.url, log: silentLogger }), env: { GITHUB_API_URL: other.url } }),
      );
      const check = byId(report.checks, 'github-app');
      expect(check.status).toBe('fail');
      expect(check.fix).toContain('/github');
    } finally {
      await other.stop();
    }
  });

  it('a database missing a migration fails with the command that applies it', async () => {
    const own = await createTestDatabase();
    try {
      const [latest] = await own.db.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
      );
      await own.db.$executeRawUnsafe('DELETE FROM _prisma_migrations WHERE migration_name = $1', latest?.migration_name);
      const report = await runDoctor(deps({ db: own.db }));
      const check = byId(report.checks, 'postgres');
      expect(check.status).toBe('fail');
      expect(check.detail).toContain(latest?.migration_name);
      expect(check.fix).toBe('npm run db:migrate');
    } finally {
      await own.drop();
    }
  });

  it('a wrong database URL and Redis URL: failed checks with the fix, never a crash', async () => {
    const closed = await freePort();
    const db = createDb({ connectionString: `postgresql://postgres@127.0.0.1:${closed}/nowhere` });
    try {
      const report = await runDoctor(deps({ db, redis: redisClient(`redis://127.0.0.1:${closed}`) }));
      expect(report.status).toBe('fail');
      const postgres = byId(report.checks, 'postgres');
      expect(postgres.status).toBe('fail');
      expect(postgres.fix).toContain('DATABASE_URL');
      expect(postgres.fix).toContain('pg_ctlcluster');
      const redis = byId(report.checks, 'redis');
      expect(redis.status).toBe('fail');
      expect(redis.fix).toContain('REDIS_URL');
      // What only the database knows is reported as not checked.
      expect(byId(report.checks, 'github-app').status).toBe('warn');
      expect(byId(report.checks, 'cloud-accounts').detail).toContain('needs the database');
    } finally {
      await db.$disconnect();
    }
  });

  it('a data dir that does not exist fails with how to make it', async () => {
    const check = byId((await runDoctor(deps({ env: { PAAS_DATA_DIR: join(dataDir, 'missing', 'dir') } }))).checks, 'disk');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain('mkdir -p');
  });
});

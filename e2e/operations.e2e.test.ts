import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  pushPayload,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  startRedisServer,
  waitUntil,
} from '@paas/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

/** Pids of live processes whose environment names `dataDir` (platform processes and the apps they run). */
async function processesOf(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    if (environ.includes(`PAAS_DATA_DIR=${dataDir}\0`) || environ.includes(`PAAS_LOCAL_DATA_DIR=${dataDir}\0`))
      pids.push(Number(entry));
  }
  return pids;
}

async function deployAndServe(platform: RunningPlatform, repo: BareRepo, app: string, text: string) {
  await repo.commit(sampleAppFiles({ text }), text);
  const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`);
  expect(res.status, res.text).toBe(202);
  await waitUntil(
    `"${text}" served`,
    async () => (await getViaRouter(platform.routerPort, `${app}.localhost`)).body === text,
    120_000,
    100,
  );
}

describe('operations: stopping the platform', () => {
  let platform: RunningPlatform | undefined;
  let repo: BareRepo | undefined;
  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  it('SIGTERM to `npm start` stops the dashboard, worker, router and every app process', async () => {
    platform = await startPlatform({ viaNpm: true });
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: 'stopper', repoUrl: repo.url })).status).toBe(201);
    await deployAndServe(platform, repo, 'stopper', 'running until SIGTERM');
    const before = await processesOf(platform.dataDir);
    // web (next), worker, router, and the app's shell and node at least
    expect(before.length).toBeGreaterThanOrEqual(5);

    process.kill(platform.pid, 'SIGTERM');
    await platform.exited();
    await waitUntil(
      'every process of the platform to be gone',
      async () => (await processesOf(platform?.dataDir as string)).length === 0,
      30_000,
    );
  }, 180_000);

  it('starting it again brings every app back as it was: same release, same number of processes, no deploy', async () => {
    if (platform === undefined) throw new Error('the platform of the test before is needed');
    // Stopped by the test before: what it ran is in Postgres.
    const deploymentsBefore = await platform.db.deployment.count();
    const releaseBefore = await platform.db.release.findFirstOrThrow({ where: { status: 'active' } });
    await platform.restart();
    await waitUntil(
      'the app served again',
      async () => (await getViaRouter(platform?.routerPort as number, 'stopper.localhost')).body === 'running until SIGTERM',
      60_000,
      100,
    );
    const after = await platform.api('GET', '/api/v1/apps/stopper');
    expect(after.json.app.activeRelease).toBe(releaseBefore.version);
    expect(await platform.db.deployment.count()).toBe(deploymentsBefore);
    // One app process (its shell and node), not a second set beside it.
    const groupRef = await platform.db.serverGroup.findFirstOrThrow({ where: { receivesTraffic: true } });
    await waitUntil(
      'the worker to see it healthy',
      async () => (await platform?.api('GET', '/api/v1/apps/stopper'))?.json.app.formation[0].healthy === 1,
      30_000,
    );
    const instances = await appInstances(platform.dataDir, groupRef.providerRef as string);
    expect(instances).toHaveLength(1);
  }, 180_000);
});

/** Instance ids of live processes started for a server group (each instance is a shell and what it runs). */
async function appInstances(dataDir: string, groupRef: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (!environ.includes(`PAAS_LOCAL_DATA_DIR=${dataDir}\0`)) continue;
    const id = /(?:^|\0)PAAS_INSTANCE_ID=([^\0]+)/.exec(environ)?.[1];
    if (id?.startsWith(`${groupRef}.`)) ids.add(id);
  }
  return [...ids];
}

describe('operations: Redis goes away and comes back empty', () => {
  let platform: RunningPlatform | undefined;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let repo: BareRepo | undefined;
  afterAll(async () => {
    await platform?.stop();
    await redis?.stop();
    await repo?.remove();
  });

  it('answers from Postgres while Redis is down, keeps apps running, and catches up once it is back', async () => {
    redis = await startRedisServer();
    platform = await startPlatform({ redisUrl: redis.url });
    repo = await createBareRepo();
    const app = 'weathered';
    const host = `${app}.localhost`;
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url })).status).toBe(201);
    await deployAndServe(platform, repo, app, 'before the outage');

    await redis.stop();
    // Each of these returns while Redis is still down: nothing waits for it.
    const health = await fetch(`${platform.webUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'degraded', checks: { database: 'ok', queue: 'down' } });

    const viaApi = await repo.commit(sampleAppFiles({ text: 'deployed during the outage' }), 'during');
    const deploy = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: viaApi });
    expect(deploy.status, deploy.text).toBe(202);
    const pushed = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body: JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha: viaApi })),
    });
    expect(pushed.status).toBe(202);
    // Stored while Redis is down: the worker relays it once Redis is back.
    expect(pushed.json.status).toBe('received');

    // An app process that dies during the outage is replaced: upkeep runs on the worker's own timer.
    const crashedAt = Date.now();
    await getViaRouter(platform.routerPort, host, '/__crash');
    await waitUntil(
      'the crashed instance to be replaced while Redis is down',
      async () => {
        const res = await getViaRouter(platform?.routerPort as number, host);
        return res.status === 200 && res.body === 'before the outage';
      },
      60_000,
      200,
    );
    // The worker records it on its own timer too; the router's health check may see the new instance first.
    await waitUntil(
      'the worker to record the replaced instance while Redis is down',
      async () => {
        const group = await (platform as RunningPlatform).db.serverGroup.findFirstOrThrow({
          where: { app: { name: app }, receivesTraffic: true },
        });
        return group.observedHealthy === 1 && (group.observedAt?.getTime() ?? 0) > crashedAt;
      },
      30_000,
      200,
    );

    await redis.start();
    await waitUntil(
      'the deploy asked for during the outage to be served',
      async () => (await getViaRouter(platform?.routerPort as number, host)).body === 'deployed during the outage',
      120_000,
      200,
    );
    expect((await (await fetch(`${platform.webUrl}/api/health`)).json()).status).toBe('ok');
    // Traffic switches before the deployment retires the old group and ends, so wait for every one to end.
    const ended = ['succeeded', 'failed', 'canceled'];
    await waitUntil(
      'every deployment to end',
      async () =>
        (await platform?.db.deployment.findMany({ where: { app: { name: app } } }))?.every((d) => ended.includes(d.state)) ??
        false,
      60_000,
      200,
    );
    const deployments = await platform.db.deployment.findMany({ where: { app: { name: app } } });
    expect(deployments.map((d) => d.state).filter((s) => s === 'failed')).toEqual([]);
  }, 240_000);
});

/** `npm run backup|restore -- …` as a user runs it; the environment holds nothing of the test runner's platform settings. */
function runPlatformScript(
  command: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
  via: 'npm' | 'node' = 'npm',
): Promise<{ code: number; out: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(PAAS_|DATABASE_|GITHUB_WEBHOOK_SECRET)/.test(k)),
  ) as Record<string, string>;
  const [cmd, argv] =
    via === 'npm'
      ? ['npm', ['run', '--silent', command, '--', ...args]]
      : [process.execPath, [join(REPO_ROOT, 'scripts/platform.mjs'), command, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: REPO_ROOT, env: { ...base, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** The same server and query (search_path) on another database. */
function onDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function readSecrets(path: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await readFile(path, 'utf8'))
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

describe('operations: backup and restore', () => {
  let platform: RunningPlatform | undefined;
  let restored: RunningPlatform | undefined;
  let repo: BareRepo | undefined;
  let work = '';
  const databases: string[] = [];
  const adminUrl = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
  const newDatabaseName = () => {
    const name = `paas_restore_${randomBytes(5).toString('hex')}`;
    databases.push(name);
    return name;
  };
  afterAll(async () => {
    await restored?.stop();
    await platform?.stop();
    await repo?.remove();
    const admin = new pg.Client({ connectionString: onDatabase(adminUrl, 'postgres') });
    await admin.connect();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    if (work) await rm(work, { recursive: true, force: true });
  });

  // Shared by the tests after the first.
  let archive = '';
  let original: { url: string; schema: string; secrets: RunningPlatform['secrets']; ownerToken: string } | undefined;
  let restoredUrl = '';

  it('backs up a running install and restores it into a new database: apps, releases and config vars (decrypted) are back', async () => {
    work = await mkdtemp(join(tmpdir(), 'paas-backup-e2e-'));
    platform = await startPlatform();
    repo = await createBareRepo();
    const app = 'keeper';
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url })).status).toBe(201);
    const config = { GREETING: 'hello from the backup', API_SECRET: `s3cret-${randomBytes(6).toString('hex')}` };
    expect((await platform.api('PATCH', `/api/v1/apps/${app}/config`, config)).status).toBe(202);
    await deployAndServe(platform, repo, app, 'before the backup');
    const commit = (await platform.db.build.findFirstOrThrow({ where: { status: 'succeeded' } })).commitSha as string;
    const before = (await platform.api('GET', `/api/v1/apps/${app}`)).json.app;
    original = { ...platform.database, secrets: platform.secrets, ownerToken: platform.owner.token };

    // The backup, with the platform's environment (as its service manager would run it).
    archive = join(work, 'platform.tar.gz');
    const backupEnv = {
      DATABASE_URL: original.url,
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: platform.dataDir,
      // No secrets file: the values come from the environment, as startPlatform passes them.
      PAAS_SECRETS_FILE: join(work, 'no-secrets.env'),
      ...platform.secrets,
    };
    const backup = await runPlatformScript('backup', [archive], backupEnv);
    expect(backup.code, backup.out).toBe(0);
    for (const secret of Object.values(platform.secrets)) expect(backup.out).not.toContain(secret);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
    const again = await runPlatformScript('backup', [archive], backupEnv);
    expect(again.code).not.toBe(0);
    expect(again.out).toContain('exists: backups never overwrite a file');
    // By default the local provider's records and app repositories, not its images and logs; --with-data adds them.
    const listing = async (file: string) =>
      new Promise<string[]>((resolve, reject) =>
        execFile('tar', ['-tzf', file], (error, stdout) => (error ? reject(error) : resolve(stdout.split('\n')))),
      );
    const small = await listing(archive);
    expect(small).toEqual(expect.arrayContaining(['manifest.json', 'database.dump', 'secrets.env', 'data/groups/']));
    expect(small.some((name) => name.startsWith('data/images/'))).toBe(false);
    const full = join(work, 'with-data.tar.gz');
    const withData = await runPlatformScript('backup', [full, '--with-data'], backupEnv);
    expect(withData.code, withData.out).toBe(0);
    expect((await listing(full)).some((name) => name.startsWith('data/images/'))).toBe(true);

    // The original install is gone (another machine, say): stop it before the restore.
    await platform.stop();
    platform = undefined;

    const target = newDatabaseName();
    restoredUrl = onDatabase(original.url, target);
    const secretsFile = join(work, 'restored', 'secrets.env');
    // Not inside the test's work dir (0700): app users must reach their homes in the data dir.
    const restoredData = await mkdtemp(join(tmpdir(), 'paas-restored-'));
    const restore = await runPlatformScript('restore', [archive], {
      DATABASE_URL: restoredUrl,
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: restoredData,
      PAAS_SECRETS_FILE: secretsFile,
    });
    expect(restore.code, restore.out).toBe(0);
    expect(restore.out).not.toContain(original.secrets.PAAS_SECRET_KEY);
    // Without --with-data the local provider's images and processes are not in the backup: it says which apps to deploy again.
    expect(restore.out).toContain(`paas deploy -a ${app} --ref ${commit}`);
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const secrets = await readSecrets(secretsFile);
    expect(secrets).toMatchObject(original.secrets);

    restored = await startPlatform({
      existing: {
        databaseUrl: restoredUrl,
        schema: original.schema,
        secrets: secrets as RunningPlatform['secrets'],
        // The owner's API token is a row of the restored database: the same token works.
        ownerToken: original.ownerToken,
        dataDir: restoredData,
      },
    });
    const after = (await restored.api('GET', `/api/v1/apps/${app}`)).json.app;
    expect(after.activeRelease).toBe(before.activeRelease);
    expect(after.releases.map((r: { version: number }) => r.version)).toEqual(
      before.releases.map((r: { version: number }) => r.version),
    );
    const read = await restored.api('GET', `/api/v1/apps/${app}/config`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.config).toEqual(config);

    // What the restore said to do: deploy again from the same commit; it serves with the restored secret.
    const deploy = await restored.api('POST', `/api/v1/apps/${app}/deploys`, { ref: commit });
    expect(deploy.status, deploy.text).toBe(202);
    const ended = ['succeeded', 'failed', 'canceled'];
    await waitUntil(
      'the deployment after the restore to end',
      async () =>
        ended.includes((await restored?.db.deployment.findUnique({ where: { id: deploy.json.deployment.id } }))?.state ?? ''),
      120_000,
      200,
    );
    const outcome = await restored.db.deployment.findUniqueOrThrow({ where: { id: deploy.json.deployment.id } });
    expect(outcome, outcome.error ?? '').toMatchObject({ state: 'succeeded' });
    await waitUntil(
      'the redeployed app to serve the restored secret',
      async () =>
        (await getViaRouter(restored?.routerPort as number, `${app}.localhost`, '/__env/API_SECRET')).body === config.API_SECRET,
      120_000,
      200,
    );
  }, 200_000);

  it('refuses a database that is not empty and a different key, changing nothing; migrates an older backup forward', async () => {
    if (original === undefined) throw new Error('the backup of the test before is needed');
    const snapshot = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const s = `"${(original as { schema: string }).schema}"`;
      const counts = await client.query(
        `SELECT (SELECT count(*) FROM ${s}."App") AS apps, (SELECT count(*) FROM ${s}."Release") AS releases,
                (SELECT count(*) FROM ${s}."ConfigVar") AS vars, (SELECT count(*) FROM ${s}._prisma_migrations) AS migrations`,
      );
      await client.end();
      return counts.rows[0];
    };

    // Into the database restored above, which is not empty: refused, nothing written anywhere.
    const before = await snapshot(restoredUrl);
    const secretsFile = join(work, 'second', 'secrets.env');
    const refused = await runPlatformScript('restore', [archive], {
      DATABASE_URL: restoredUrl,
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: join(work, 'second-data'),
      PAAS_SECRETS_FILE: secretsFile,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('is not empty: it holds a platform install');
    expect(refused.out).toContain('nothing was changed');
    expect(await snapshot(restoredUrl)).toEqual(before);
    await expect(stat(secretsFile)).rejects.toThrow();

    // A secrets file with another key: the database and the key only work as a pair.
    await writeFile(join(work, 'other-secrets.env'), `PAAS_SECRET_KEY=${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const otherText = await readFile(join(work, 'other-secrets.env'), 'utf8');
    const fresh = newDatabaseName();
    const mixed = await runPlatformScript('restore', [archive], {
      DATABASE_URL: onDatabase(original.url, fresh),
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: join(work, 'other-data'),
      PAAS_SECRETS_FILE: join(work, 'other-secrets.env'),
    });
    expect(mixed.code).not.toBe(0);
    expect(mixed.out).toContain('holds another PAAS_SECRET_KEY than this backup. The key must match the database');
    expect(await readFile(join(work, 'other-secrets.env'), 'utf8')).toBe(otherText);
    // Not even created: every check runs before the first change.
    const admin = new pg.Client({ connectionString: onDatabase(adminUrl, 'postgres') });
    await admin.connect();
    expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [fresh])).rowCount).toBe(0);
    await admin.end();
    // The same through the environment, which the platform prefers to the file: refused as well.
    const viaEnv = await runPlatformScript('restore', [archive], {
      DATABASE_URL: onDatabase(original.url, fresh),
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: join(work, 'other-data'),
      PAAS_SECRETS_FILE: join(work, 'env-secrets.env'),
      PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
    });
    expect(viaEnv.code).not.toBe(0);
    expect(viaEnv.out).toContain('PAAS_SECRET_KEY in the environment is not the key of this backup');

    // A backup of an older platform (its last migration not applied yet) is migrated forward on restore.
    const older = newDatabaseName();
    const olderUrl = onDatabase(original.url, older);
    const { applyMigrations } = await import('@paas/db/migrate');
    await applyMigrations({ connectionString: olderUrl, schema: original.schema });
    const client = new pg.Client({ connectionString: olderUrl });
    await client.connect();
    const last = (
      await client.query(
        `SELECT migration_name FROM "${original.schema}"._prisma_migrations ORDER BY migration_name DESC LIMIT 1`,
      )
    ).rows[0].migration_name as string;
    expect(last).toMatch(/release_status_index$/);
    await client.query(`DROP INDEX "${original.schema}"."Release_appId_status_idx"`);
    await client.query(`DELETE FROM "${original.schema}"._prisma_migrations WHERE migration_name = $1`, [last]);
    await client.end();
    const olderSecrets = join(work, 'older-secrets.env');
    await writeFile(olderSecrets, `PAAS_SECRET_KEY=${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const olderEnv = { DATABASE_URL: olderUrl, DATABASE_SCHEMA: original.schema, PAAS_SECRETS_FILE: olderSecrets };
    const olderArchive = join(work, 'older.tar.gz');
    const olderBackup = await runPlatformScript('backup', [olderArchive], {
      ...olderEnv,
      PAAS_DATA_DIR: join(work, 'older-data'),
    });
    expect(olderBackup.code, olderBackup.out).toBe(0);
    const forward = newDatabaseName();
    const migrated = await runPlatformScript('restore', [olderArchive], {
      DATABASE_URL: onDatabase(original.url, forward),
      DATABASE_SCHEMA: original.schema,
      PAAS_DATA_DIR: join(work, 'forward-data'),
      PAAS_SECRETS_FILE: join(work, 'forward-secrets.env'),
    });
    expect(migrated.code, migrated.out).toBe(0);
    expect(migrated.out).toContain(`Applied 1 migration to ${forward}`);
    expect(migrated.out).toContain(last);

    // Without pg_dump on PATH (only node on it): a clear message, not a stack trace.
    const onlyNode = join(work, 'only-node');
    await mkdir(onlyNode);
    await symlink(process.execPath, join(onlyNode, 'node'));
    const noTools = await runPlatformScript('backup', [join(work, 'never.tar.gz')], { ...olderEnv, PATH: onlyNode }, 'node');
    expect(noTools.code).not.toBe(0);
    expect(noTools.out).toContain('pg_dump was not found on PATH');
  }, 60_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLocalData } from '@paas/cloud';
import { findTaggedProcesses, TAG } from '@paas/cloud/local-testing';
import { createApp, requestDeploy, silentLogger } from '@paas/core';
import { createJobQueue, createProducerRedis } from '@paas/jobs';
import {
  type BareRepo,
  createBareRepo,
  createTestDatabase,
  dropRedisPrefix,
  REPO_ROOT,
  sampleAppFiles,
  type TestDatabase,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './engine-fixture';

// The real worker process, SIGKILLed at random instants of deployments and
// started again: every deployment must still end as if nothing happened.
describe('worker killed at any instant', () => {
  let database: TestDatabase;
  let repo: BareRepo;
  let dataDir: string;
  let worker: ChildProcess | null = null;
  let output = '';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-crash-${randomBytes(4).toString('hex')}`;
  const producer = createProducerRedis(redisUrl);
  const queue = createJobQueue({ connection: producer, prefix });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'paas-crash-'));
    repo = await createBareRepo();
    await createApp(
      { db: database.db, cloud: { provider: 'local', region: 'local' } },
      { name: 'crashy', repoUrl: repo.url },
      admin,
    );
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await queue.close();
    producer.disconnect();
    if (dataDir) await removeLocalData(dataDir);
    await database?.drop();
    await repo?.remove();
    await dropRedisPrefix(redisUrl, prefix);
  });

  const secretKey = randomBytes(32).toString('hex');
  /** Starts a worker; resolves once it works (killing one that never got going tests nothing). */
  function startWorker(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/worker/src/main.ts')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        DATABASE_SCHEMA: database.schema,
        REDIS_URL: redisUrl,
        PAAS_REDIS_PREFIX: prefix,
        PAAS_DATA_DIR: dataDir,
        PAAS_SECRET_KEY: secretKey,
        PAAS_RECONCILE_INTERVAL_MS: '300',
        // Short, so a step whose worker died is taken over within seconds here.
        PAAS_STEP_LEASE_MS: '2000',
        PAAS_HEALTH_TIMEOUT_MS: '30000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker = child;
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        output = (output + chunk).slice(-20_000);
        if (String(chunk).includes('worker started')) resolve();
      });
      child.stderr?.on('data', (chunk) => {
        output = (output + chunk).slice(-20_000);
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before it started:\n${output.slice(-2000)}`)),
      );
    });
  }

  async function killWorker() {
    const current = worker;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await exited;
  }

  async function state(id: string) {
    return database.db.deployment.findUniqueOrThrow({ where: { id } });
  }

  it('finishes every deployment while its worker is killed again and again', async () => {
    await startWorker();
    for (let round = 1; round <= 3; round++) {
      const text = `survived ${round}`;
      const sha = await repo.commit(sampleAppFiles({ text }), text);
      const { id } = await requestDeploy({ db: database.db, queue, log: silentLogger }, 'crashy', { ref: sha }, admin);
      const steps = new Set<string>();
      let kills = 0;
      // A kill lands at a random instant of a worker's life. How long a step
      // takes depends on the machine's load; a worker that made no progress
      // before its kill gets a longer life next time, so the test makes its
      // point (every instant is survivable) on a slow machine as on a fast one.
      let lifeMs = 700;
      let progress = '';
      for (;;) {
        const d = await state(id);
        steps.add(d.step);
        if (['succeeded', 'failed', 'canceled'].includes(d.state)) break;
        const now = JSON.stringify([d.step, d.stepData]);
        lifeMs = now === progress ? Math.min(lifeMs * 1.5, 10_000) : 700;
        progress = now;
        // A random instant: anywhere inside a step, between steps, between a save and its enqueue.
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * lifeMs)));
        await killWorker();
        kills += 1;
        await startWorker();
        if (kills > 60) {
          const stuck = await state(id);
          throw new Error(
            `deployment did not finish after ${kills} kills (state ${stuck.state}, step ${stuck.step}, steps seen ${[...steps].join(', ')}, step data ${JSON.stringify(stuck.stepData)}):\n${output.slice(-3000)}`,
          );
        }
      }
      const d = await state(id);
      expect(d.state, `${d.error ?? ''}\n${output.slice(-2000)}`).toBe('succeeded');
      expect(kills).toBeGreaterThan(0);
      expect(await database.db.build.count({ where: { commitSha: sha } })).toBe(1);
      const app = await database.db.app.findUniqueOrThrow({ where: { name: 'crashy' } });
      const release = await database.db.release.findFirstOrThrow({
        where: { appId: app.id, status: 'active' },
        include: { build: true },
      });
      expect(release.build.commitSha).toBe(sha);
    }
    await killWorker();
  }, 240_000);

  it('leaves no duplicate groups or processes behind', async () => {
    const serving = await database.db.serverGroup.findMany({ where: { status: { in: ['active', 'creating'] } } });
    expect(serving).toHaveLength(1);
    const kept = await database.db.serverGroup.findMany({ where: { status: 'disabled' } });
    expect(kept.length).toBeLessThanOrEqual(1);
    const wanted = [...serving, ...kept].reduce((n, g) => n + g.desired, 0);
    // Every instance process started under this data dir belongs to a group that should run.
    const instances = new Set<string>();
    for (const pid of await findTaggedProcesses(TAG.dataDir, dataDir)) {
      const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
      const id = /(?:^|\0)PAAS_INSTANCE_ID=([^\0]+)/.exec(environ)?.[1];
      if (id) instances.add(id);
    }
    expect(instances.size).toBe(wanted);
  });
});

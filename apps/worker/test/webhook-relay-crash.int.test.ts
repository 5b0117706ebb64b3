import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLocalData } from '@paas/cloud';
import { createApp, lockApp, recordDeliveries, summarizeDelivery } from '@paas/core';
import { createJobQueue, createProducerRedis } from '@paas/jobs';
import {
  type BareRepo,
  createBareRepo,
  createTestDatabase,
  dropRedisPrefix,
  pushPayload,
  sampleAppFiles,
  startWorkerProcess,
  type TestDatabase,
  type WorkerProcess,
  waitUntil,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './engine-fixture';

// A worker SIGKILLed while it relays a delivery (the delivery claimed, the
// deployment half-made inside its transaction): the delivery must be relayed
// again by the next worker, and exactly once.
describe('webhook relay when its worker dies midway', () => {
  let database: TestDatabase;
  let repo: BareRepo;
  const workers: WorkerProcess[] = [];
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-relay-crash-${randomBytes(4).toString('hex')}`;
  const producer = createProducerRedis(redisUrl);
  const queue = createJobQueue({ connection: producer, prefix });
  const dataDir = mkdtempSync(join(tmpdir(), 'paas-relay-crash-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    repo = await createBareRepo();
    env = {
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: database.schema,
      REDIS_URL: redisUrl,
      PAAS_REDIS_PREFIX: prefix,
      PAAS_DATA_DIR: dataDir,
      PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
      PAAS_RECONCILE_INTERVAL_MS: '500',
    };
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await queue.close();
    producer.disconnect();
    await removeLocalData(dataDir);
    await database?.drop();
    await repo?.remove();
    await dropRedisPrefix(redisUrl, prefix);
  }, 60_000);

  it('relays the delivery again after the crash, exactly once', async () => {
    const db = database.db;
    const app = await createApp(
      { db, cloud: { provider: 'local', region: 'local' } },
      { name: 'relayed', repoUrl: repo.url },
      admin,
    );
    const sha = await repo.commit(sampleAppFiles({ text: 'relayed once' }), 'once');
    const payload = pushPayload({ repoUrl: repo.url, branch: 'main', sha });
    const deliveryId = randomBytes(8).toString('hex');
    await recordDeliveries(db, [
      { deliveryId, event: 'push', rawBody: Buffer.from(JSON.stringify(payload)), ...summarizeDelivery('push', payload) },
    ]);

    workers.push(await startWorkerProcess(env));
    // Hold the app's row lock: the relay claims the delivery, then stops inside
    // its transaction waiting for this lock, and is killed there.
    await db.$transaction(
      async (tx) => {
        await lockApp(tx, app.id);
        const [holder] = await tx.$queryRaw<{ xid: string }[]>`SELECT txid_current()::text AS xid`;
        await queue.relayDeliveries({ key: 'first' });
        await waitUntil(
          'the relay to wait for the app lock',
          async () => {
            const waiting = await db.$queryRaw<{ n: number }[]>`
              SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted AND transactionid::text = ${holder?.xid}`;
            return (waiting[0]?.n ?? 0) > 0;
          },
          30_000,
          50,
        );
        await workers[0]?.kill();
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    const afterCrash = await db.webhookDelivery.findUniqueOrThrow({ where: { deliveryId } });
    expect(afterCrash.status).toBe('received');
    expect(await db.deployment.count()).toBe(0);

    // Nobody asks the queue again: the next worker's sweep finds the delivery.
    workers.push(await startWorkerProcess(env));
    const relayed = await waitUntil(
      'the delivery to be relayed by the next worker',
      async () => {
        const d = await db.webhookDelivery.findUniqueOrThrow({ where: { deliveryId }, include: { deployments: true } });
        return d.status === 'received' ? null : d;
      },
      30_000,
    );
    expect(relayed).toMatchObject({ status: 'processed', result: '1 deployment(s)' });
    expect(relayed.deployments).toHaveLength(1);
    expect(await db.deployment.count({ where: { appId: app.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: 'deployment.create', actorId: deliveryId } })).toBe(1);
  }, 120_000);
});

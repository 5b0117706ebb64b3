import { randomBytes, randomUUID } from 'node:crypto';
import { dropRedisPrefix, waitUntil } from '@paas/testing';
import type { Job, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobQueue, createProducerRedis, createRedis, type JobHandlers, startJobWorker } from '../src/index';

// BullMQ on the real Redis: what retrying can fix is retried, what it cannot
// fails the job at once (UnrecoverableError), and a producer never waits for Redis.
describe('job worker', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-jobs-${randomBytes(4).toString('hex')}`;
  const connection = createRedis(redisUrl);
  const producer = createProducerRedis(redisUrl);
  const queue = createJobQueue({ connection: producer, prefix });
  let worker: Worker | undefined;
  const silent = { info() {}, warn() {}, error() {} };

  afterAll(async () => {
    await worker?.close();
    await queue.close();
    connection.disconnect();
    producer.disconnect();
    await dropRedisPrefix(redisUrl, prefix);
  });

  it('retries a transient failure and stops at once on one retrying cannot fix', async () => {
    const calls = new Map<string, number>();
    const handlers: JobHandlers = {
      'deployment.advance': async ({ deploymentId }) => {
        calls.set(deploymentId, (calls.get(deploymentId) ?? 0) + 1);
        if (deploymentId === transient && (calls.get(deploymentId) ?? 0) < 3) throw new Error('Connection is closed.');
        if (deploymentId === broken) throw new Error('a bug');
        return 'ok';
      },
      'formation.apply': async () => undefined,
      'app.destroy': async () => undefined,
      'domain.advance': async () => undefined,
      'cloudAccount.verify': async () => undefined,
      'webhook.relay': async () => undefined,
      'github.sync': async () => undefined,
      'github.report': async () => undefined,
    };
    const transient = randomUUID();
    const broken = randomUUID();
    worker = startJobWorker({
      connection,
      prefix,
      handlers,
      concurrency: 2,
      log: silent,
      isRetryable: (error) => error instanceof Error && /Connection is closed/.test(error.message),
    });
    await queue.advanceDeployment(transient, { key: `${transient}.start` });
    await queue.advanceDeployment(broken, { key: `${broken}.start` });
    const failed = await waitUntil(
      'the broken job to fail',
      async () => (await queue.queue.getFailed()).find((job: Job) => job.data.deploymentId === broken),
      30_000,
      100,
    );
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toBe('a bug');
    await waitUntil('the transient job to succeed on its third attempt', async () => calls.get(transient) === 3, 30_000, 100);
    expect(calls.get(broken)).toBe(1);
  }, 60_000);

  it('drops a second enqueue of a key that is still waiting', async () => {
    const id = randomUUID();
    await queue.advanceDeployment(id, { key: `${id}.later`, delayMs: 60_000 });
    await queue.advanceDeployment(id, { key: `${id}.later`, delayMs: 60_000 });
    expect((await queue.queue.getDelayed()).filter((job: Job) => job.data.deploymentId === id)).toHaveLength(1);
  });

  it('refuses a payload that does not match the catalog, before it reaches Redis', async () => {
    await expect(queue.advanceDeployment('not-a-uuid', { key: 'x' })).rejects.toThrow();
  });
});

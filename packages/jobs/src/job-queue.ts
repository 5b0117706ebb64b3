import type { JobQueue as CoreJobQueue } from '@paas/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type JobName, type JobPayload, jobCatalog, jobId } from './catalog';

export const QUEUE_NAME = 'paas';

export interface EnqueueOptions {
  /** Deterministic key: an enqueue with a key already waiting or running is dropped. */
  key: string;
  delayMs?: number;
}

export interface JobQueue extends CoreJobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: EnqueueOptions): Promise<void>;
  readonly queue: Queue;
  /** Resolves when Redis answers; rejects at once while it is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A producer connection fails fast while Redis is away; only the very first
 * connect of a fresh process is waited for, briefly, so the first enqueue after
 * boot is not lost to a connection that was about to be ready.
 */
async function firstConnect(connection: Redis, timeoutMs = 1_500): Promise<void> {
  if (connection.status !== 'connecting' && connection.status !== 'wait') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    connection.once('ready', done);
  });
}

export function createJobQueue(opts: { connection: Redis; prefix: string }): JobQueue {
  const queue = new Queue(QUEUE_NAME, { connection: opts.connection, prefix: opts.prefix });

  async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, o: EnqueueOptions) {
    const entry = jobCatalog[name];
    const data = entry.payload.parse(payload);
    await firstConnect(opts.connection);
    await queue.add(name, data, {
      ...entry.options,
      jobId: jobId(name, o.key),
      ...(o.delayMs ? { delay: o.delayMs } : {}),
      // Completed ids are forgotten so a later enqueue with the same key (the
      // reconciler re-delivering) is not silently dropped; failures are kept a
      // while for inspection.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
    });
  }

  return {
    queue,
    enqueue,
    advanceDeployment: (deploymentId, o) => enqueue('deployment.advance', { deploymentId }, o),
    applyFormation: (appId, processType, o) => enqueue('formation.apply', { appId, processType }, o),
    destroyApp: (appId, o) => enqueue('app.destroy', { appId }, o),
    advanceDomain: (domainId, o) => enqueue('domain.advance', { domainId }, o),
    verifyCloudAccount: (accountId, o) => enqueue('cloudAccount.verify', { accountId }, o),
    relayDeliveries: (o) => enqueue('webhook.relay', {}, o),
    syncGithub: (o) => enqueue('github.sync', {}, o),
    reportToGithub: (deploymentId, o) => enqueue('github.report', { deploymentId }, o),
    async ping() {
      await firstConnect(opts.connection);
      await opts.connection.ping();
    },
    close: () => queue.close(),
  };
}

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
  close(): Promise<void>;
}

export function createJobQueue(opts: { connection: Redis; prefix: string }): JobQueue {
  const queue = new Queue(QUEUE_NAME, { connection: opts.connection, prefix: opts.prefix });

  async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, o: EnqueueOptions) {
    const entry = jobCatalog[name];
    const data = entry.payload.parse(payload);
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
    close: () => queue.close(),
  };
}

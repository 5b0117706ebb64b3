import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isJobName, type JobName, type JobPayload, jobCatalog } from './catalog';
import { QUEUE_NAME } from './job-queue';

export type JobHandlers = {
  [N in JobName]: (payload: JobPayload<N>, meta: { id: string; attempt: number; finalAttempt: boolean }) => Promise<unknown>;
};

export interface JobWorkerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function startJobWorker(opts: {
  connection: Redis;
  prefix: string;
  handlers: JobHandlers;
  concurrency: number;
  log: JobWorkerLog;
  /** Errors for which this returns false fail the job at once, without BullMQ retries. */
  isRetryable?: (error: unknown) => boolean;
}): Worker {
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      if (!isJobName(job.name)) {
        // A job from a newer or older version of the platform: drop, do not retry.
        opts.log.warn('dropping job with unknown name', { job: job.id, name: job.name });
        return;
      }
      const parsed = jobCatalog[job.name].payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.message}`);
      const attempt = job.attemptsMade + 1;
      const finalAttempt = attempt >= (job.opts.attempts ?? 1);
      const handler = opts.handlers[job.name] as (
        p: unknown,
        m: { id: string; attempt: number; finalAttempt: boolean },
      ) => Promise<unknown>;
      try {
        return await handler(parsed.data, { id: job.id ?? '', attempt, finalAttempt });
      } catch (error) {
        // Retrying cannot fix it (the handler said so): BullMQ must not try again.
        if (opts.isRetryable && !opts.isRetryable(error)) {
          throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency },
  );
  worker.on('failed', (job, error) => {
    opts.log.warn('job failed', { job: job?.id, name: job?.name, attempt: job?.attemptsMade, error: error.message });
  });
  worker.on('error', (error) => opts.log.error('worker error', { error: error.message }));
  return worker;
}

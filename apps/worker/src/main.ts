import { createCloudProvider } from '@paas/cloud';
import { createLogger, loadEnv, workerEnvSchema } from '@paas/config';
import { createSecretBox, parseSecretKey } from '@paas/core';
import { createDb } from '@paas/db';
import { assertRedisReachable, createJobQueue, createRedis, startJobWorker } from '@paas/jobs';
import { createHandlers } from './handlers';

const log = createLogger('worker');

async function main() {
  const env = loadEnv('worker', workerEnvSchema);
  await assertRedisReachable(env.REDIS_URL);
  const db = createDb({ connectionString: env.DATABASE_URL, schema: env.DATABASE_SCHEMA });
  await db.$queryRaw`SELECT 1`;

  const connection = createRedis(env.REDIS_URL);
  const queue = createJobQueue({ connection, prefix: env.PAAS_REDIS_PREFIX });
  const { provider: cloud, timings } = createCloudProvider(env, log);
  const ctx = {
    db,
    cloud,
    queue,
    secrets: createSecretBox(parseSecretKey(env.PAAS_SECRET_KEY)),
    timings: { ...timings, healthTimeoutMs: env.PAAS_HEALTH_TIMEOUT_MS },
    log,
    now: () => new Date(),
  };

  const worker = startJobWorker({
    connection,
    prefix: env.PAAS_REDIS_PREFIX,
    handlers: createHandlers(ctx),
    concurrency: env.PAAS_WORKER_CONCURRENCY,
    log,
  });
  // One scheduler entry however many workers run: BullMQ upserts it by id.
  await queue.queue.upsertJobScheduler(
    'platform.reconcile',
    { every: env.PAAS_RECONCILE_INTERVAL_MS },
    { name: 'platform.reconcile', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  log.info('worker started', { cloud: cloud.kind, concurrency: env.PAAS_WORKER_CONCURRENCY });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('worker stopping', { signal });
    // Lets running jobs finish their current step; app processes keep running.
    await worker.close();
    await queue.close();
    await db.$disconnect();
    connection.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

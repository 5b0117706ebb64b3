import { createCloudRegistry, defaultIsolation, providerPollIntervals } from '@paas/cloud';
import { createLogger, loadEnv, workerEnvSchema } from '@paas/config';
import {
  type CoreContext,
  checkEncryptionKey,
  checkPostgres,
  createSecretBox,
  engineTimings,
  findMigrationsDir,
  isRetryableError,
  migrationNames,
  parseSecretKey,
  platformLinks,
} from '@paas/core';
import { createDb } from '@paas/db';
import { createGithubApi } from '@paas/github';
import { assertRedisReachable, createJobQueue, createProducerRedis, createRedis, startJobWorker } from '@paas/jobs';
import { createHandlers } from './handlers';
import { startReconcileLoop } from './reconcile-loop';

const log = createLogger('worker');

async function main() {
  const env = loadEnv('worker', workerEnvSchema);
  await assertRedisReachable(env.REDIS_URL);
  const db = createDb({ connectionString: env.DATABASE_URL, schema: env.DATABASE_SCHEMA });
  // Unreachable, missing, or not migrated: refuse to start with paas doctor's words and fix.
  const postgres = await checkPostgres({ db, timeoutMs: 5_000 }, await migrationNames(findMigrationsDir()));
  if (postgres.check.status === 'fail') throw new Error(`${postgres.check.detail} Fix: ${postgres.check.fix}`);
  // Another key than the one that sealed the database's config vars would run,
  // and fail every deploy: refuse to start instead, saying what to do.
  const key = await checkEncryptionKey({ db, secretKey: env.PAAS_SECRET_KEY });
  if (key.status === 'fail') throw new Error(`PAAS_SECRET_KEY: ${key.detail} Fix: ${key.fix}`);

  const connection = createRedis(env.REDIS_URL);
  const producer = createProducerRedis(env.REDIS_URL);
  const queue = createJobQueue({ connection: producer, prefix: env.PAAS_REDIS_PREFIX });
  // AWS providers share the account's API rate limits through Redis (a non-blocking connection).
  const clouds = createCloudRegistry(env, { log, redis: producer });
  const ctx: CoreContext = {
    db,
    clouds,
    queue,
    secrets: createSecretBox(parseSecretKey(env.PAAS_SECRET_KEY)),
    github: createGithubApi({ apiUrl: env.GITHUB_API_URL, log }),
    links: platformLinks({
      dashboardUrl: env.PAAS_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      ...(env.PAAS_INTERNAL_URL ? { sourceUrl: env.PAAS_INTERNAL_URL } : {}),
      routerPort: env.PAAS_ROUTER_PORT,
      ...(env.PAAS_APP_URL ? { appUrlTemplate: env.PAAS_APP_URL } : {}),
    }),
    timings: engineTimings({
      ...providerPollIntervals(env.PAAS_CLOUD),
      ...(env.PAAS_BUILD_POLL_MS ? { buildPollMs: env.PAAS_BUILD_POLL_MS } : {}),
      ...(env.PAAS_HEALTH_POLL_MS ? { healthPollMs: env.PAAS_HEALTH_POLL_MS } : {}),
      healthTimeoutMs: env.PAAS_HEALTH_TIMEOUT_MS,
      buildTimeoutMs: env.PAAS_BUILD_TIMEOUT_MS,
      stepLeaseMs: env.PAAS_STEP_LEASE_MS,
      warmRetentionMs: env.PAAS_WARM_RETENTION_MS ?? (env.PAAS_CLOUD === 'aws' ? 60 * 60_000 : null),
      webhookRetentionMs: env.PAAS_WEBHOOK_RETENTION_DAYS * 24 * 60 * 60_000,
      metricsEveryMs: env.PAAS_METRICS_INTERVAL_MS,
    }),
    log,
    now: () => new Date(),
  };

  const worker = startJobWorker({
    connection,
    prefix: env.PAAS_REDIS_PREFIX,
    handlers: createHandlers(ctx, env.PAAS_DATA_DIR),
    concurrency: env.PAAS_WORKER_CONCURRENCY,
    log,
    isRetryable: isRetryableError,
  });
  // Earlier versions kept the reconcile schedule in Redis; the timer below replaces it.
  await queue.queue.removeJobScheduler('platform.reconcile').catch(() => {});
  const reconciler = startReconcileLoop(ctx, env.PAAS_RECONCILE_INTERVAL_MS);
  if (env.PAAS_CLOUD === 'local' && defaultIsolation() === 'none') {
    log.warn('app isolation is off: apps run as the platform user (run the platform as root to give each app a user of its own)');
  }
  log.info('worker started', { cloud: env.PAAS_CLOUD, concurrency: env.PAAS_WORKER_CONCURRENCY });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('worker stopping', { signal });
    // Lets running jobs finish their current step; app processes keep running.
    await reconciler.stop();
    await worker.close();
    await queue.close();
    await db.$disconnect();
    connection.disconnect();
    producer.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

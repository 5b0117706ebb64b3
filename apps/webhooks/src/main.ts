import { createLogger, loadEnv, webhooksEnvSchema } from '@paas/config';
import { createSecretBox, parseSecretKey } from '@paas/core';
import { createDb } from '@paas/db';
import { createJobQueue, createProducerRedis } from '@paas/jobs';
import { createDeliveryRecorder } from './delivery-recorder';
import { createReceiver, GITHUB_WEBHOOK_PATH } from './receiver';
import { platformSecrets } from './signature-secrets';

// The GitHub webhook receiver: a process of its own, so a burst of deliveries
// never slows the dashboard, and the dashboard's work never delays an answer to GitHub.
const log = createLogger('webhooks');

async function main() {
  const env = loadEnv('webhook receiver', webhooksEnvSchema);
  const db = createDb({ connectionString: env.DATABASE_URL, schema: env.DATABASE_SCHEMA });
  await db.$queryRaw`SELECT 1`;
  const producer = createProducerRedis(env.REDIS_URL);
  const queue = createJobQueue({ connection: producer, prefix: env.PAAS_REDIS_PREFIX });
  const recorder = createDeliveryRecorder({ db, queue, log });
  const secrets = platformSecrets(env.GITHUB_WEBHOOK_SECRET, {
    db,
    secrets: createSecretBox(parseSecretKey(env.PAAS_SECRET_KEY)),
  });
  const server = createReceiver({ recorder, secrets, log });
  // GitHub keeps connections open between deliveries.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PAAS_WEBHOOK_PORT, env.PAAS_WEBHOOK_HOST, resolve);
  });
  log.info('webhook receiver listening', {
    url: `http://${env.PAAS_WEBHOOK_HOST}:${env.PAAS_WEBHOOK_PORT}${GITHUB_WEBHOOK_PATH}`,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('webhook receiver stopping', { signal });
    // Answer what is in flight (stored first), accept nothing new.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await recorder.drain();
    await closed;
    await queue.close();
    await db.$disconnect();
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

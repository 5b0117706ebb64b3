import 'server-only';
import { createCloudInventory } from '@paas/cloud/inventory';
import { createLogger, loadEnv, type WebEnv, webEnvSchema } from '@paas/config';
import { type CloudInventoryRegistry, createSecretBox, type GithubApi, parseSecretKey } from '@paas/core';
import { createDb, type Db } from '@paas/db';
import { createGithubApi } from '@paas/github';
import { createJobQueue, createProducerRedis, type JobQueue } from '@paas/jobs';

// One set of clients per server process, created on first use (not at import,
// so `next build` needs no database) and kept across hot reloads in dev.
interface WebContext {
  env: WebEnv;
  db: Db;
  // A producer: with Redis away it fails at once and the reconciler delivers later.
  queue: JobQueue;
  // Read-only: the web app never changes the cloud, the worker does.
  clouds: CloudInventoryRegistry;
  secrets: ReturnType<typeof createSecretBox>;
  github: GithubApi;
  log: ReturnType<typeof createLogger>;
  now(): Date;
}

const globalForContext = globalThis as unknown as { paasWebContext?: WebContext };

export function webContext(): WebContext {
  if (globalForContext.paasWebContext) return globalForContext.paasWebContext;
  const env = loadEnv('web app', webEnvSchema);
  const log = createLogger('web');
  const ctx: WebContext = {
    env,
    log,
    db: createDb({ connectionString: env.DATABASE_URL, schema: env.DATABASE_SCHEMA }),
    queue: createJobQueue({ connection: createProducerRedis(env.REDIS_URL), prefix: env.PAAS_REDIS_PREFIX }),
    clouds: createCloudInventory(env),
    secrets: createSecretBox(parseSecretKey(env.PAAS_SECRET_KEY)),
    github: createGithubApi({ apiUrl: env.GITHUB_API_URL, log }),
    now: () => new Date(),
  };
  globalForContext.paasWebContext = ctx;
  return ctx;
}

export function cloudSettings(env: WebEnv) {
  return { provider: env.PAAS_CLOUD, region: env.PAAS_CLOUD === 'local' ? 'local' : env.AWS_REGION };
}

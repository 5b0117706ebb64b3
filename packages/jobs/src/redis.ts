import { Redis } from 'ioredis';

/**
 * A connection suitable for BullMQ workers (no per-command retry limit, so a
 * Redis restart pauses work instead of failing jobs).
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/**
 * A connection for producers (the web app, the worker's own enqueues): while
 * Redis is down a command fails at once instead of waiting for it to come back,
 * so an API request or a webhook answers from Postgres without waiting (the
 * reconciler delivers later). Errors are reported by the callers, not here.
 */
export function createProducerRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableReadyCheck: true,
    connectTimeout: 2_000,
  });
  redis.on('error', () => {});
  return redis;
}

/**
 * Fails with a message a person can act on when Redis is not there, or when
 * it may evict keys: BullMQ's jobs are plain keys, and an evicted one is a
 * deployment lost without a trace. A Redis that refuses CONFIG (ElastiCache
 * and other managed services) is let through: its setting is in its console,
 * and `paas doctor` says so.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => {});
  let policy: unknown;
  try {
    await client.connect();
    await client.ping();
    policy = await client.config('GET', 'maxmemory-policy').catch(() => null);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Redis is not reachable at ${redactUrl(url)} (${reason}). Start Redis (e.g. \`docker compose up -d redis\`) or set REDIS_URL.`,
    );
  } finally {
    client.disconnect();
  }
  const value = Array.isArray(policy) ? policy[1] : null;
  if (typeof value === 'string' && value !== 'noeviction') {
    throw new Error(
      `Redis at ${redactUrl(url)} evicts keys under memory pressure (maxmemory-policy ${value}), which loses queued jobs. Set it to noeviction: redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf the line maxmemory-policy noeviction (so a restart keeps it).`,
    );
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

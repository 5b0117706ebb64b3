import { check, type DoctorCheck, errorMessage, withTimeout } from './check';

/** The two commands the check sends; an ioredis client fits as it is. */
export interface RedisProbe {
  ping(): Promise<unknown>;
  config(subcommand: 'GET', parameter: string): Promise<unknown>;
}

const START_REDIS = 'redis-server --daemonize yes --port 6379 (or docker compose up -d redis)';
const SET_POLICY =
  'redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf the line: maxmemory-policy noeviction (so a restart keeps it)';

/**
 * Redis answers, and never evicts keys: BullMQ keeps jobs as plain keys, so a
 * Redis allowed to evict under memory pressure silently loses deployments.
 */
export async function checkRedis(deps: { redis: RedisProbe; timeoutMs: number }): Promise<DoctorCheck> {
  const title = 'Redis';
  try {
    await withTimeout(deps.redis.ping(), deps.timeoutMs, 'Redis');
  } catch (error) {
    return check(
      'redis',
      title,
      'fail',
      `Redis is not reachable with REDIS_URL (${errorMessage(error)}).`,
      `Check REDIS_URL in the platform's environment, and that Redis runs: ${START_REDIS}`,
    );
  }
  let policy: string | null;
  try {
    policy = parsePolicy(await withTimeout(deps.redis.config('GET', 'maxmemory-policy'), deps.timeoutMs, 'Redis'));
  } catch (error) {
    // Managed services (ElastiCache, Upstash…) rename or refuse CONFIG: the setting lives in their console.
    return check(
      'redis',
      title,
      'warn',
      `Redis answers, but refuses CONFIG GET (${errorMessage(error)}), so maxmemory-policy cannot be read.`,
      "Check in your Redis provider's console (e.g. the ElastiCache parameter group) that maxmemory-policy is noeviction",
    );
  }
  if (policy === 'noeviction') return check('redis', title, 'ok', 'Redis answers; maxmemory-policy is noeviction.');
  return check(
    'redis',
    title,
    'fail',
    `maxmemory-policy is ${policy ?? 'unknown'}: under memory pressure Redis deletes keys, and BullMQ loses the jobs they hold.`,
    SET_POLICY,
  );
}

/** CONFIG GET answers [name, value] (RESP2) or {name: value} (RESP3). */
function parsePolicy(answer: unknown): string | null {
  if (Array.isArray(answer)) return typeof answer[1] === 'string' ? answer[1] : null;
  if (answer && typeof answer === 'object') {
    const value = (answer as Record<string, unknown>)['maxmemory-policy'];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

// Before an install switches to a new release: PostgreSQL and Redis answer at
// the URLs the platform will use, and Redis keeps every key (BullMQ's queues
// are keys; an evicted one is a lost deployment). Exits 1 with the fix.

import { Redis } from 'ioredis';
import pg from 'pg';

const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const url = new URL(process.env.DATABASE_URL);
const admin = new URL(url);
admin.pathname = '/postgres';
admin.search = '';
const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
} catch (error) {
  fail(
    `PostgreSQL is not reachable at ${url.hostname}:${url.port || 5432} as ${url.username || 'the current user'} (${error.message}): check --database-url, or that PostgreSQL runs (systemctl status postgresql).`,
  );
} finally {
  await client.end().catch(() => {});
}

const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
redis.on('error', () => {});
try {
  await redis.connect();
} catch (error) {
  fail(
    `Redis is not reachable at ${process.env.REDIS_URL} (${error.message}): check --redis-url, or that Redis runs (systemctl status redis-server).`,
  );
}
// Managed Redis (ElastiCache) refuses CONFIG; its parameter group is the operator's to set.
const policy = await redis.config('GET', 'maxmemory-policy').catch(() => null);
redis.disconnect();
if (policy?.[1] && policy[1] !== 'noeviction') {
  fail(
    `Redis evicts keys (maxmemory-policy ${policy[1]}), which loses queued jobs: set \`maxmemory-policy noeviction\` in /etc/redis/redis.conf and restart Redis (or run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and \`CONFIG REWRITE\`).`,
  );
}

import type { Redis } from 'ioredis';
import { API_BUCKETS, type BucketName } from './api-buckets';

// Takes one token, or says how long until there is one. The clock is Redis's,
// so workers on machines with skewed clocks still share one bucket.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return wait
`;

export interface TokenBuckets {
  /** Resolves once a token of every bucket was taken. */
  take(buckets: BucketName[]): Promise<void>;
}

/** Buckets shared by every process that uses the same Redis and key (one per AWS account and region). */
export function redisTokenBuckets(redis: Redis, key: string): TokenBuckets {
  return {
    async take(buckets) {
      for (const bucket of buckets) {
        const spec = API_BUCKETS[bucket];
        for (;;) {
          const wait = Number(await redis.eval(TAKE, 1, `${key}:${bucket}`, spec.capacity, spec.perSecond));
          if (wait <= 0) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },
  };
}

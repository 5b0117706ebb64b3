import { randomBytes } from 'node:crypto';
import { MOTO_CREDENTIALS } from '@paas/testing/aws';
import type { Redis } from 'ioredis';
import { type AwsCallStats, createAwsProvider, parseAwsSettings } from '../../src/aws/index';

/**
 * The AWS provider against an emulator (moto, or the fault proxy in front of
 * it): an account and Redis prefix of its own, and no retries of a 500 (moto answers an
 * action it lacks with one).
 */
export function emulatedAwsProvider(
  endpoint: string,
  redis: Redis,
  options: { settings?: Record<string, unknown>; stats?: AwsCallStats; baseDelayMs?: number } = {},
) {
  return createAwsProvider({
    accountId: `test-${randomBytes(4).toString('hex')}`,
    region: 'us-east-1',
    auth: { method: 'default', credentials: MOTO_CREDENTIALS },
    settings: parseAwsSettings({ baseDomain: 'apps.example.test', ...options.settings }),
    endpoint,
    redis,
    redisPrefix: `paas-test-${randomBytes(4).toString('hex')}`,
    log: { info() {}, warn() {}, error() {} },
    retry: { retryServerErrors: false, ...(options.baseDelayMs ? { baseDelayMs: options.baseDelayMs } : {}) },
    ...(options.stats ? { stats: options.stats } : {}),
  });
}

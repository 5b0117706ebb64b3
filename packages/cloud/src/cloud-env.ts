import { hkdfSync } from 'node:crypto';
import { AppError, type CloudAccountRef, parseSecretKey } from '@paas/core';

/** The settings from @paas/config's env schemas that choose and configure the providers. */
export interface CloudEnv {
  PAAS_CLOUD: 'local' | 'aws';
  PAAS_DATA_DIR: string;
  PAAS_DOMAIN?: string;
  AWS_REGION?: string;
  PAAS_HEALTH_TIMEOUT_MS?: number;
  /** The platform's key; the local provider seals config snapshots with a key derived from it. */
  PAAS_SECRET_KEY?: string;
}

/** A key of its own for the local config store, derived so one leaked key never opens the other's data. */
export function localConfigKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', parseSecretKey(secretKey), Buffer.alloc(0), 'paas/local/config-store', 32));
}

export function unsupported(account: CloudAccountRef): never {
  throw new AppError(
    'validation_failed',
    `cloud account ${account.id} uses ${account.provider}, which is not available yet: use the local provider`,
  );
}

/** How often the engine re-checks long operations on each provider, in ms. */
export function providerPollIntervals(kind: 'local' | 'aws'): { buildPollMs: number; healthPollMs: number } {
  // Local builds take seconds and processes start in well under a second: poll often.
  return kind === 'local' ? { buildPollMs: 250, healthPollMs: 200 } : { buildPollMs: 15_000, healthPollMs: 5_000 };
}

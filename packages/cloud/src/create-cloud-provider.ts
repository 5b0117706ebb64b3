import { AppError, type CloudProvider, type Logger, type ProviderTimings } from '@paas/core';
import { createLocalProvider } from './local/create-local-provider';

/** The settings from @paas/config's env schemas that choose and configure the provider. */
export interface CloudEnv {
  PAAS_CLOUD: 'local' | 'aws';
  PAAS_DATA_DIR: string;
  PAAS_DOMAIN?: string;
  AWS_REGION?: string;
  PAAS_HEALTH_TIMEOUT_MS?: number;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;

/** The one place a process turns its env into a provider (web app, worker). */
export function createCloudProvider(env: CloudEnv, log?: Logger): { provider: CloudProvider; timings: ProviderTimings } {
  if (env.PAAS_CLOUD === 'aws') {
    throw new AppError('validation_failed', 'PAAS_CLOUD=aws is not available yet: use PAAS_CLOUD=local');
  }
  const healthTimeoutMs = env.PAAS_HEALTH_TIMEOUT_MS ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const provider = createLocalProvider({
    dataDir: env.PAAS_DATA_DIR,
    domain: env.PAAS_DOMAIN ?? 'localhost',
    healthTimeoutMs,
    ...(log ? { log } : {}),
  });
  // Local builds take seconds and processes start in well under a second: poll often.
  return { provider, timings: { buildPollMs: 250, healthPollMs: 200, healthTimeoutMs } };
}

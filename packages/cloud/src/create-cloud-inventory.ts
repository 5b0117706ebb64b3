import { AppError, type CloudInventory } from '@paas/core';
import type { CloudEnv } from './create-cloud-provider';
import { createLocalInventory } from './local/create-local-inventory';

/** What the web app may do with the cloud: look, never change. */
export function createCloudInventory(env: CloudEnv): CloudInventory {
  if (env.PAAS_CLOUD === 'aws') {
    throw new AppError('validation_failed', 'PAAS_CLOUD=aws is not available yet: use PAAS_CLOUD=local');
  }
  return createLocalInventory({ dataDir: env.PAAS_DATA_DIR, domain: env.PAAS_DOMAIN ?? 'localhost' });
}

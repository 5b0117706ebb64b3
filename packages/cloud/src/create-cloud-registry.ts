import type { CloudAccountRef, CloudProvider, CloudRegistry, Logger } from '@paas/core';
import { type CloudEnv, localConfigKey, unsupported } from './cloud-env';
import { createLocalProvider } from './local/create-local-provider';

const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;

/**
 * The worker's providers, one per cloud account, made on first use. The local
 * provider serves every local account of this machine from one data dir.
 */
export function createCloudRegistry(env: CloudEnv, log?: Logger): CloudRegistry {
  const providers = new Map<string, CloudProvider>();
  let local: CloudProvider | undefined;
  return {
    forAccount(account: CloudAccountRef): CloudProvider {
      const known = providers.get(account.id);
      if (known) return known;
      if (account.provider !== 'local') unsupported(account);
      local ??= createLocalProvider({
        dataDir: env.PAAS_DATA_DIR,
        domain: env.PAAS_DOMAIN ?? 'localhost',
        healthTimeoutMs: env.PAAS_HEALTH_TIMEOUT_MS ?? DEFAULT_HEALTH_TIMEOUT_MS,
        ...(env.PAAS_SECRET_KEY ? { configKey: localConfigKey(env.PAAS_SECRET_KEY) } : {}),
        ...(log ? { log } : {}),
      });
      providers.set(account.id, local);
      return local;
    },
    all: () => [...new Set(providers.values())],
  };
}

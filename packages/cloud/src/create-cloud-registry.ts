import type { CloudAccountRef, CloudProvider, CloudRegistry } from '@paas/core';
import { type CloudEnv, localConfigKey } from './cloud-env';
import type { CloudRegistryOptions } from './create-aws-provider-for-account';
import { awsProvider, checkAccountSettings } from './create-aws-provider-for-account';
import { createLocalProvider } from './local/create-local-provider';

export type { CloudRegistryOptions };

const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;

/**
 * The worker's providers, one per cloud account, made on first use. The local
 * provider serves every local account of this machine from one data dir; each
 * AWS account (and region) gets its own, with its own credentials.
 */
export function createCloudRegistry(env: CloudEnv, opts: CloudRegistryOptions = {}): CloudRegistry {
  const providers = new Map<string, CloudProvider>();
  let local: CloudProvider | undefined;
  return {
    forAccount(account: CloudAccountRef): CloudProvider {
      const known = providers.get(account.id);
      if (known) return known;
      let provider: CloudProvider;
      if (account.provider === 'aws') {
        provider = awsProvider(env, opts, account);
      } else {
        local ??= createLocalProvider({
          dataDir: env.PAAS_DATA_DIR,
          domain: env.PAAS_DOMAIN ?? 'localhost',
          healthTimeoutMs: env.PAAS_HEALTH_TIMEOUT_MS ?? DEFAULT_HEALTH_TIMEOUT_MS,
          ...(env.PAAS_DRAIN_TIMEOUT_MS ? { drainTimeoutMs: env.PAAS_DRAIN_TIMEOUT_MS } : {}),
          // The builder stops itself at the same limit after which the engine gives up on the build.
          ...(env.PAAS_BUILD_TIMEOUT_MS ? { buildLimits: { timeoutMs: env.PAAS_BUILD_TIMEOUT_MS } } : {}),
          ...(env.PAAS_SECRET_KEY ? { configKey: localConfigKey(env.PAAS_SECRET_KEY) } : {}),
          ...(opts.log ? { log: opts.log } : {}),
        });
        provider = local;
      }
      providers.set(account.id, provider);
      return provider;
    },
    all: () => [...new Set(providers.values())],
    checkSettings: (account) => checkAccountSettings(env, account),
  };
}

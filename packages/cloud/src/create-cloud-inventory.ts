import type { CloudAccountRef, CloudInventory, CloudInventoryRegistry } from '@paas/core';
import { type CloudEnv, unsupported } from './cloud-env';
import { createLocalInventory } from './local/create-local-inventory';

/** What the web app may do with each cloud account: look, never change. */
export function createCloudInventory(env: CloudEnv): CloudInventoryRegistry {
  let local: CloudInventory | undefined;
  return {
    forAccount(account: CloudAccountRef): CloudInventory {
      if (account.provider !== 'local') unsupported(account);
      local ??= createLocalInventory({ dataDir: env.PAAS_DATA_DIR, domain: env.PAAS_DOMAIN ?? 'localhost' });
      return local;
    },
  };
}

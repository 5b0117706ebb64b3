import type { CloudAccountRef, CloudInventory, CloudInventoryRegistry } from '@paas/core';
import { accountId } from './aws/artifacts';
import { toAppError } from './aws/errors';
import type { CloudEnv } from './cloud-env';
import { awsProvider, checkAccountSettings } from './create-aws-provider-for-account';
import { createLocalInventory } from './local/create-local-inventory';

/**
 * What the web app may do with each cloud account: look, never change. On AWS
 * that is reading instance logs from the artifacts bucket; nothing it does
 * calls the EC2 or ELB APIs, whose rate limits belong to the workers.
 */
export function createCloudInventory(env: CloudEnv): CloudInventoryRegistry {
  let local: CloudInventory | undefined;
  const aws = new Map<string, CloudInventory>();
  return {
    checkSettings: (account) => checkAccountSettings(env, account),
    forAccount(account: CloudAccountRef): CloudInventory {
      if (account.provider === 'aws') {
        let inventory = aws.get(account.id);
        if (!inventory) {
          const provider = awsProvider(env, {}, account);
          inventory = {
            kind: 'aws',
            defaultHostnames: provider.defaultHostnames,
            instanceTypes: provider.instanceTypes,
            instanceSizes: provider.instanceSizes,
            readInstanceLogs: provider.readInstanceLogs,
            // Who the platform is in the account (STS), fresh each time: the worker's
            // verifyAccess also makes the network's security groups, a change the web app never makes.
            verifyAccess: async () => {
              provider.context.memo.forget('account-id');
              return {
                accountId: await accountId(provider.context).catch((e: unknown) =>
                  Promise.reject(toAppError(e, 'GetCallerIdentity')),
                ),
              };
            },
            checkPermissions: provider.checkPermissions,
            domainTarget: provider.domainTarget,
          };
          aws.set(account.id, inventory);
        }
        return inventory;
      }
      local ??= createLocalInventory({ dataDir: env.PAAS_DATA_DIR, domain: env.PAAS_DOMAIN ?? 'localhost' });
      return local;
    },
  };
}

import { type CloudInventory, INSTANCE_SIZES } from '@paas/core';
import { type LocalProviderOptions, localRuntime } from './local-runtime';
import { readInstanceLogs } from './logs/read-instance-logs';
import { localCertificates } from './routes/certificates';

/**
 * Read-only view of the local cloud for the web app: it imports no builder or
 * process-starting code, the way the web app's AWS role will only hold read
 * permissions.
 */
export function createLocalInventory(options: LocalProviderOptions): CloudInventory {
  const { ctx, run } = localRuntime(options);
  return {
    kind: 'local',
    defaultHostnames: (appName) => [`${appName}.${ctx.domain}`],
    instanceTypes: () => null,
    instanceSizes: () => INSTANCE_SIZES,
    readInstanceLogs: run(readInstanceLogs),
    verifyAccess: async () => ({ accountId: null }),
    checkPermissions: async () => ({ missing: [] }),
    domainTarget: localCertificates.domainTarget,
  };
}

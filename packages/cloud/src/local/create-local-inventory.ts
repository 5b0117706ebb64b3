import type { CloudInventory } from '@paas/core';
import { type LocalProviderOptions, localRuntime } from './local-runtime';
import { describeServerGroup } from './supervisor/describe-server-group';

/**
 * Read-only view of the local cloud for the dashboard and API: it imports no
 * builder or process-starting code, the way the web app's AWS role will only
 * hold Describe permissions.
 */
export function createLocalInventory(options: LocalProviderOptions): CloudInventory {
  const { ctx, run } = localRuntime(options);
  return {
    kind: 'local',
    describeServerGroup: run(describeServerGroup),
    defaultHostnames: (app) => [`${app}.${ctx.domain}`],
  };
}

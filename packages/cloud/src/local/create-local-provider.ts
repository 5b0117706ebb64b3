export type { LocalProviderOptions } from './local-runtime';

import type { CloudProvider } from '@paas/core';
import { cancelImageBuild } from './builder/cancel-image-build';
import { getImageBuild } from './builder/get-image-build';
import { startImageBuild } from './builder/start-image-build';
import { type LocalProviderOptions, localRuntime } from './local-runtime';
import { routeApp } from './routes/route-app';
import { describeServerGroup } from './supervisor/describe-server-group';
import { destroyServerGroup } from './supervisor/destroy-server-group';
import { ensureServerGroup } from './supervisor/ensure-server-group';
import { reconcile } from './supervisor/reconcile';
import { resizeServerGroup } from './supervisor/resize-server-group';
import { createReleaseTemplate } from './templates/create-release-template';

/** Runs apps as processes on this machine; see state/layout.ts for what lives under dataDir. */
export function createLocalProvider(options: LocalProviderOptions): CloudProvider {
  const { ctx, run } = localRuntime(options);
  return {
    kind: 'local',
    startImageBuild: run(startImageBuild),
    getImageBuild: run(getImageBuild),
    cancelImageBuild: run(cancelImageBuild),
    createReleaseTemplate: run(createReleaseTemplate),
    ensureServerGroup: run(ensureServerGroup),
    describeServerGroup: run(describeServerGroup),
    resizeServerGroup: run(resizeServerGroup),
    destroyServerGroup: run(destroyServerGroup),
    routeApp: run(routeApp),
    defaultHostnames: (app) => [`${app}.${ctx.domain}`],
    reconcile: run(reconcile),
  };
}

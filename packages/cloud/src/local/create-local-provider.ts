export type { LocalProviderOptions } from './local-runtime';

import { type CloudProvider, INSTANCE_SIZES } from '@paas/core';
import { setScalingPolicy } from './autoscaling/set-scaling-policy';
import { cancelImageBuild } from './builder/cancel-image-build';
import { findImage } from './builder/find-image';
import { getImageBuild } from './builder/get-image-build';
import { readImageBuildLog } from './builder/read-image-build-log';
import { startImageBuild } from './builder/start-image-build';
import { deleteConfig, putConfig } from './config/config-store';
import { sweepCgroups } from './limits/sweep-cgroups';
import { type LocalProviderOptions, localRuntime } from './local-runtime';
import { readInstanceLogs } from './logs/read-instance-logs';
import { readTrafficMetrics } from './metrics/read-traffic-metrics';
import { localCertificates } from './routes/certificates';
import { deregisterServerGroup, describeTraffic, registerServerGroup, setHostnames, switchTraffic } from './routes/load-balancer';
import { setCapacity, setEnabled } from './supervisor/change-server-group';
import { describeServerGroups } from './supervisor/describe-server-groups';
import { destroyServerGroup } from './supervisor/destroy-server-group';
import { ensureServerGroup } from './supervisor/ensure-server-group';
import { reconcile } from './supervisor/reconcile';
import { teardownApp } from './teardown/teardown-app';
import { createReleaseTemplate } from './templates/create-release-template';

/** Runs apps as processes on this machine; see state/layout.ts for what lives under dataDir. */
export function createLocalProvider(options: LocalProviderOptions): CloudProvider {
  const { ctx, run } = localRuntime(options);
  return {
    kind: 'local',
    startImageBuild: run(startImageBuild),
    getImageBuild: run(getImageBuild),
    readImageBuildLog: run(readImageBuildLog),
    cancelImageBuild: run((c, jobRef: string) => cancelImageBuild(c, jobRef)),
    findImage: run(findImage),
    putConfig: run(putConfig),
    deleteConfig: run(deleteConfig),
    createReleaseTemplate: run(createReleaseTemplate),
    ensureServerGroup: run(ensureServerGroup),
    describeServerGroups: run(describeServerGroups),
    setCapacity: run(setCapacity),
    setScalingPolicy: run(setScalingPolicy),
    enableServerGroup: run(setEnabled(true)),
    disableServerGroup: run(setEnabled(false)),
    destroyServerGroup: run(destroyServerGroup),
    registerServerGroup: run(registerServerGroup),
    deregisterServerGroup: run(deregisterServerGroup),
    switchTraffic: run(switchTraffic),
    describeTraffic: run(describeTraffic),
    setHostnames: run(setHostnames),
    ...localCertificates,
    verifyAccess: async () => ({ accountId: null }),
    // This machine has no permissions to lack.
    checkPermissions: async () => ({ missing: [] }),
    defaultHostnames: (appName) => [`${appName}.${ctx.domain}`],
    instanceTypes: () => null,
    instanceSizes: () => INSTANCE_SIZES,
    readInstanceLogs: run(readInstanceLogs),
    readTrafficMetrics: run(readTrafficMetrics),
    teardownApp: run(teardownApp),
    // Then the cgroups nothing needs any more (instances and builds whose cleanup was cut short).
    reconcile: run((c) =>
      reconcile(c).finally(() => sweepCgroups(c).catch((e: unknown) => c.log.warn('cgroup sweep failed', { error: String(e) }))),
    ),
  };
}

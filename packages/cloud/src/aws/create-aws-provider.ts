import { type CloudProvider, INSTANCE_SIZES, type InstanceSize, type Logger } from '@paas/core';
import type { Redis } from 'ioredis';
import { accountId, artifactsBucket } from './artifacts';
import { checkPermissions } from './check-permissions';
import { type AwsAuth, type AwsCallStats, createAwsClients } from './clients';
import { deleteConfig, putConfig } from './config/config-parameters';
import { type AwsContext, createMemo } from './context';
import { toAppError } from './errors';
import { describeServerGroups } from './groups/describe-server-groups';
import { destroyServerGroup } from './groups/destroy-server-group';
import { ensureServerGroup } from './groups/ensure-server-group';
import { disableServerGroup, enableServerGroup } from './groups/server-group-state';
import { setCapacity } from './groups/set-capacity';
import { setScalingPolicy } from './groups/set-scaling-policy';
import { cancelImageBuild } from './images/cancel-image-build';
import { findImage } from './images/find-image';
import { getImageBuild } from './images/get-image-build';
import { readImageBuildLog } from './images/read-image-build-log';
import { startImageBuild } from './images/start-image-build';
import { instanceTypeFor } from './instance-types';
import { readInstanceLogs } from './logs/read-instance-logs';
import { readTrafficMetrics } from './metrics/read-traffic-metrics';
import { network } from './network';
import { sweepBuilders } from './reconcile';
import { type AwsSettings, assertAwsRegion } from './settings';
import { teardownApp } from './teardown-app';
import { createReleaseTemplate } from './templates/create-release-template';
import type { RetryPolicy } from './throttle/retry-strategy';
import { redisTokenBuckets } from './throttle/token-buckets';
import { deregisterServerGroup, describeTraffic, registerServerGroup, setHostnames, switchTraffic } from './traffic/app-rules';
import {
  attachCertificate,
  deleteCertificate,
  describeCertificate,
  detachCertificate,
  domainTarget,
  publishValidationRecords,
  requestCertificate,
} from './traffic/certificates';

export interface AwsProviderOptions {
  /** The platform's cloud account row: its id keys the shared rate limits. */
  accountId: string;
  region: string;
  auth: AwsAuth;
  settings: AwsSettings;
  /** An emulator or proxy in tests; unset on AWS. */
  endpoint?: string;
  /** Shared by every worker: API rate limits are per AWS account and region. Only the read-only inventory goes without. */
  redis?: Redis;
  redisPrefix: string;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  builderMaxAgeMs?: number;
  stats?: AwsCallStats;
}

const SWEEP_EVERY_MS = 60_000;

/** The AWS implementation of the provider port: AMIs, Auto Scaling Groups, shared ALBs, SSM. */
export function createAwsProvider(options: AwsProviderOptions): CloudProvider & { readonly context: AwsContext } {
  assertAwsRegion(options.region);
  const ctx: AwsContext = {
    clients: createAwsClients({
      region: options.region,
      auth: options.auth,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      buckets: options.redis
        ? redisTokenBuckets(options.redis, `${options.redisPrefix}:aws-rate:${options.accountId}:${options.region}`)
        : { take: async () => {} },
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.stats ? { stats: options.stats } : {}),
    }),
    settings: options.settings,
    region: options.region,
    log: options.log,
    builderMaxAgeMs: options.builderMaxAgeMs ?? 75 * 60_000,
    memo: createMemo(),
    tagCache: new Map(),
  };
  const defaultHostnames = (appName: string) => [`${appName}.${ctx.settings.baseDomain}`];
  let lastSweep = 0;

  const provider: CloudProvider & { readonly context: AwsContext } = {
    kind: 'aws',
    context: ctx,
    startImageBuild: (input) => startImageBuild(ctx, input),
    getImageBuild: (jobRef) => getImageBuild(ctx, jobRef),
    readImageBuildLog: (jobRef, cursor) => readImageBuildLog(ctx, jobRef, cursor),
    cancelImageBuild: (jobRef) => cancelImageBuild(ctx, jobRef),
    findImage: (lookup) => findImage(ctx, lookup),
    putConfig: (input) => putConfig(ctx, input),
    deleteConfig: (ref) => deleteConfig(ctx, ref),
    createReleaseTemplate: (input) => createReleaseTemplate(ctx, input),
    ensureServerGroup: (input) => ensureServerGroup(ctx, input),
    describeServerGroups: (refs) => describeServerGroups(ctx, refs),
    setCapacity: (ref, capacity) => setCapacity(ctx, ref, capacity),
    setScalingPolicy: (ref, policy) => setScalingPolicy(ctx, ref, policy),
    enableServerGroup: (ref) => enableServerGroup(ctx, ref),
    disableServerGroup: (ref) => disableServerGroup(ctx, ref),
    destroyServerGroup: (ref) => destroyServerGroup(ctx, ref),
    registerServerGroup: (app, ref) => registerServerGroup(ctx, app, ref),
    deregisterServerGroup: (app, ref) => deregisterServerGroup(ctx, app, ref),
    switchTraffic: (input) => switchTraffic(ctx, input),
    describeTraffic: (app) => describeTraffic(ctx, app),
    setHostnames: (app, hostnames) => setHostnames(ctx, app, hostnames),
    requestCertificate: (input) => requestCertificate(ctx, input),
    describeCertificate: (ref) => describeCertificate(ctx, ref),
    publishValidationRecords: (ref) => publishValidationRecords(ctx, ref),
    domainTarget: (app) => domainTarget(ctx, app),
    attachCertificate: (app, ref) => attachCertificate(ctx, app, ref),
    detachCertificate: (app, ref) => detachCertificate(ctx, app, ref),
    deleteCertificate: (ref) => deleteCertificate(ctx, ref),
    defaultHostnames,
    instanceTypes: () =>
      Object.fromEntries(INSTANCE_SIZES.map((s) => [s, instanceTypeFor(s, ctx.settings)])) as Record<InstanceSize, string>,
    instanceSizes: () => ctx.settings.sizes ?? INSTANCE_SIZES,
    readInstanceLogs: (query) => readInstanceLogs(ctx, query),
    readTrafficMetrics: (query) => readTrafficMetrics(ctx, query),
    teardownApp: (app) => teardownApp(ctx, app, defaultHostnames(app.name)),
    async verifyAccess() {
      // Fresh answers: a role fixed after a failed check must be seen as fixed.
      ctx.memo.forget('account-id');
      ctx.memo.forget('network');
      const id = await accountId(ctx);
      await network(ctx);
      await artifactsBucket(ctx);
      return { accountId: id };
    },
    checkPermissions: () => checkPermissions(ctx),
    async reconcile() {
      if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
      lastSweep = Date.now();
      await sweepBuilders(ctx);
    },
  };
  // Whatever escapes a use case still reaches the engine as a coded error.
  for (const [key, value] of Object.entries(provider)) {
    if (typeof value !== 'function' || key === 'defaultHostnames' || key === 'instanceTypes' || key === 'instanceSizes') continue;
    const fn = value as (...args: unknown[]) => Promise<unknown>;
    (provider as unknown as Record<string, unknown>)[key] = (...args: unknown[]) =>
      fn(...args).catch((error: unknown) => {
        throw toAppError(error, key);
      });
  }
  return provider;
}

import type { Logger, SecretBox } from '@paas/core';
import type { CpuSample } from './autoscaling/cpu-usage';
import type { HousekeepingPolicy } from './housekeeping/policy';
import type { LimitsSettings } from './limits/limits-config';
import type { Layout } from './state/layout';

/**
 * How app processes are kept from the platform and from each other: `users`
 * runs each app's builds and processes as an unprivileged user of its own
 * (needs root); `none` runs them as the platform's user (a developer's laptop).
 */
export type Isolation = 'users' | 'none';

/** The autoscaler's windows; the defaults are like an Auto Scaling Group's target tracking. */
export interface AutoscalingTimings {
  /** The metric is averaged over this long: requests from the router's 10 s buckets, CPU between samples. 60 s. */
  metricWindowMs: number;
  /** After a scaling change, no other change for this long (new instances start and take load). 30 s. */
  cooldownMs: number;
  /** The metric must stay low this long before one instance is removed; again before each further one. 2 min. */
  scaleInAfterMs: number;
}

/** What every local use case needs; built once by createLocalProvider. */
export interface LocalContext {
  layout: Layout;
  domain: string;
  /** How long a new instance may take to answer HTTP before it counts as unhealthy. */
  healthTimeoutMs: number;
  /** SIGTERM -> SIGKILL grace when stopping processes. */
  stopGraceMs: number;
  /** How long requests in flight to an instance leaving the rotation may take before it is stopped anyway (an ALB's deregistration delay). */
  drainTimeoutMs: number;
  /** How long a write waits for another process holding the same lock. */
  lockWaitMs: number;
  isolation: Isolation;
  /** Seals config snapshots at rest; null in processes that never read or write config. */
  configBox: SecretBox | null;
  /** Instances that passed a health check lately (id → until when it stands), so describe need not probe each time. */
  recentlyHealthy: Map<string, number>;
  autoscaling: AutoscalingTimings;
  /** CPU time samples of instances with a CPU scaling policy, by instance id (oldest first), for deltas between evaluations. */
  cpuSamples: Map<string, CpuSample[]>;
  /** What is kept on disk: images (the rollback window), build and instance logs; see housekeeping/. */
  housekeeping: HousekeepingPolicy;
  /** Whether instances and builds get cgroups, and the builds' limits (see limits/). */
  limits: LimitsSettings;
  log: Logger;
}

import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { AppError, createSecretBox, type Logger, silentLogger, validationError } from '@paas/core';
import type { AutoscalingTimings, Isolation, LocalContext } from './context';
import { type HousekeepingPolicy, housekeepingPolicy } from './housekeeping/policy';
import { describeCgroupSupport } from './limits/detect-cgroups';
import { type BuildLimits, type CgroupMode, cgroupSupport, DEFAULT_BUILD_LIMITS } from './limits/limits-config';
import { InvalidIdError } from './names';
import { LockBusyError } from './state/file-lock';
import { InvalidNameError, layout } from './state/layout';

export interface LocalProviderOptions {
  /** Where the provider keeps its state, images and logs; shared by every process that uses it. */
  dataDir: string;
  /** Apps are served at `<app>.<domain>`; `localhost` resolves to this machine without DNS. */
  domain?: string;
  /** How long a new instance may take to answer HTTP before describe calls it unhealthy. */
  healthTimeoutMs?: number;
  /** SIGTERM -> SIGKILL grace period when stopping instances and builds. */
  stopGraceMs?: number;
  /** How long an instance leaving the router's rotation keeps its open connections before it is stopped anyway; 30 s. */
  drainTimeoutMs?: number;
  /** 32 bytes that seal config snapshots on disk; required to store or run config vars. */
  configKey?: Buffer;
  /** Default: `users` when running as root (each app gets a user of its own), else `none`. */
  isolation?: Isolation;
  /** The autoscaler's windows (defaults: 60 s metric window, 30 s cooldown, 2 min low before each scale-in step). */
  autoscaling?: Partial<AutoscalingTimings>;
  /** Disk retention: images kept per app (the rollback window, 10), log rotation size (10 MiB), ages; see README "Disk housekeeping". */
  housekeeping?: Partial<HousekeepingPolicy>;
  /** Builds' time, memory and disk limits (defaults: 15 min, 2 GiB, 5 GiB). */
  buildLimits?: Partial<BuildLimits>;
  /** `auto` (default): memory/CPU/pids limits in cgroups when the machine allows; `off`: rlimits only. */
  cgroups?: CgroupMode;
  log?: Logger;
}

export const DEFAULT_AUTOSCALING: AutoscalingTimings = { metricWindowMs: 60_000, cooldownMs: 30_000, scaleInAfterMs: 120_000 };

/** `users` needs root (to switch users) and useradd; anything else runs apps as ourselves. */
export function defaultIsolation(): Isolation {
  return process.getuid?.() === 0 && existsSync('/usr/sbin/useradd') ? 'users' : 'none';
}

// Traversable but not listable by app users (0711), so an app reaches its own
// image and home by path; everything else is the platform's alone (0700).
const PUBLIC_DIRS = ['root', 'images', 'homes'] as const;
const PRIVATE_DIRS = [
  'imageIndex',
  'configs',
  'templates',
  'groups',
  'routes',
  'logs',
  'metrics',
  'users',
  'locks',
  'runtime',
] as const;

/** The shared context of the local provider and its read-only inventory, and the wrapper every operation runs in. */
export function localRuntime(options: LocalProviderOptions) {
  const paths = layout(options.dataDir);
  const ctx: LocalContext = {
    layout: paths,
    domain: options.domain ?? 'localhost',
    healthTimeoutMs: options.healthTimeoutMs ?? 30_000,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
    lockWaitMs: 60_000,
    isolation: options.isolation ?? defaultIsolation(),
    configBox: options.configKey ? createSecretBox(options.configKey) : null,
    recentlyHealthy: new Map(),
    autoscaling: { ...DEFAULT_AUTOSCALING, ...options.autoscaling },
    cpuSamples: new Map(),
    housekeeping: housekeepingPolicy(options.housekeeping),
    limits: { cgroups: options.cgroups ?? 'auto', build: { ...DEFAULT_BUILD_LIMITS, ...options.buildLimits } },
    log: options.log ?? silentLogger,
  };
  let ready: Promise<unknown> | undefined;
  const prepare = async () => {
    for (const name of PUBLIC_DIRS) {
      await mkdir(paths[name], { recursive: true });
      await chmod(paths[name], 0o711);
    }
    for (const name of PRIVATE_DIRS) {
      await mkdir(paths[name], { recursive: true });
      await chmod(paths[name], 0o700);
    }
    // Found once per process; said once per provider, so the operator knows how strong the limits are.
    const support = await cgroupSupport(ctx.limits);
    if (support.kind === 'none') ctx.log.warn(`resource limits: ${describeCgroupSupport(support)}`);
    else ctx.log.info(`resource limits: ${describeCgroupSupport(support)}`);
  };
  const run =
    <A extends unknown[], R>(fn: (ctx: LocalContext, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      ready ??= prepare().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      await ready;
      try {
        return await fn(ctx, ...args);
      } catch (error) {
        // Names become file names; a bad one is the caller's mistake, reported like any validation error.
        if (error instanceof InvalidNameError || error instanceof InvalidIdError) throw validationError(error.message);
        if (error instanceof LockBusyError) throw new AppError('cloud_unavailable', error.message, { cause: error });
        throw error;
      }
    };
  return { ctx, run };
}

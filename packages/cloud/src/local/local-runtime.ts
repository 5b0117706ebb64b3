import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { AppError, createSecretBox, type Logger, silentLogger, validationError } from '@paas/core';
import type { AutoscalingTimings, Isolation, LocalContext } from './context';
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
  /** 32 bytes that seal config snapshots on disk; required to store or run config vars. */
  configKey?: Buffer;
  /** Default: `users` when running as root (each app gets a user of its own), else `none`. */
  isolation?: Isolation;
  /** The autoscaler's windows (defaults: 60 s metric window, 30 s cooldown, 2 min low before each scale-in step). */
  autoscaling?: Partial<AutoscalingTimings>;
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
const PRIVATE_DIRS = ['imageIndex', 'configs', 'templates', 'groups', 'routes', 'logs', 'metrics', 'users', 'locks'] as const;

/** The shared context of the local provider and its read-only inventory, and the wrapper every operation runs in. */
export function localRuntime(options: LocalProviderOptions) {
  const paths = layout(options.dataDir);
  const ctx: LocalContext = {
    layout: paths,
    domain: options.domain ?? 'localhost',
    healthTimeoutMs: options.healthTimeoutMs ?? 30_000,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    lockWaitMs: 60_000,
    isolation: options.isolation ?? defaultIsolation(),
    configBox: options.configKey ? createSecretBox(options.configKey) : null,
    recentlyHealthy: new Map(),
    autoscaling: { ...DEFAULT_AUTOSCALING, ...options.autoscaling },
    cpuSamples: new Map(),
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

import { mkdir } from 'node:fs/promises';
import { AppError, type Logger, silentLogger, validationError } from '@paas/core';
import type { LocalContext } from './context';
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
  log?: Logger;
}

/** The shared context of the local provider and its read-only inventory, and the wrapper every operation runs in. */
export function localRuntime(options: LocalProviderOptions) {
  const ctx: LocalContext = {
    layout: layout(options.dataDir),
    domain: options.domain ?? 'localhost',
    healthTimeoutMs: options.healthTimeoutMs ?? 30_000,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    lockWaitMs: 60_000,
    log: options.log ?? silentLogger,
  };
  let ready: Promise<unknown> | undefined;
  const run =
    <A extends unknown[], R>(fn: (ctx: LocalContext, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      ready ??= Promise.all(
        [ctx.layout.images, ctx.layout.templates, ctx.layout.groups, ctx.layout.routes, ctx.layout.logs, ctx.layout.locks].map(
          (dir) => mkdir(dir, { recursive: true }),
        ),
      );
      await ready;
      try {
        return await fn(ctx, ...args);
      } catch (error) {
        // Names become file names; a bad one is the caller's mistake, reported like any validation error.
        if (error instanceof InvalidNameError) throw validationError(error.message);
        if (error instanceof LockBusyError) throw new AppError('cloud_unavailable', error.message, { cause: error });
        throw error;
      }
    };
  return { ctx, run };
}

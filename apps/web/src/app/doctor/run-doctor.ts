import 'server-only';
import { AppError, type Caller, can, DEFAULT_TEAM_SLUG, type DoctorReport, runDoctor } from '@paas/core';
import { Redis } from 'ioredis';
import { authorizePlatform } from '@/server/caller';
import { webContext } from '@/server/context';

// The check-up is about the whole install (its database, Redis, key, disk,
// accounts): for the admins of the platform's own team, like the GitHub App.
const PERMISSION = 'cloudAccount.write';

export const mayRunDoctor = (caller: Caller) => can(caller.role, PERMISSION) && caller.teamSlug === DEFAULT_TEAM_SLUG;

export function authorizeDoctor(caller: Caller): void {
  try {
    authorizePlatform(caller, PERMISSION);
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') {
      throw new AppError('forbidden', "the platform's check-up is for the admins of the platform's own team", {
        ...(error.details ? { details: error.details } : {}),
      });
    }
    throw error;
  }
}

/** Runs every check with the web app's own settings and clients; a Redis client of its own, closed after. */
export async function doctorReport(): Promise<DoctorReport> {
  const ctx = webContext();
  // Not the queue's client: that one fails fast while disconnected, and a retry loop would hide a dead Redis.
  const redis = new Redis(ctx.env.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  redis.on('error', () => {});
  try {
    return await runDoctor({ db: ctx.db, redis, clouds: ctx.clouds, github: ctx.github, env: ctx.env });
  } finally {
    redis.disconnect();
  }
}

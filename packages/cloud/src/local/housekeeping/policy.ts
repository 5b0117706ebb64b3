/** How much the local provider keeps on disk; see README "Disk housekeeping". */
export interface HousekeepingPolicy {
  /** At most one pass per data dir this often (reconcile asks every few seconds). 5 min. */
  intervalMs: number;
  /**
   * The rollback window: the images of the newest N succeeded builds of each app
   * and those of its newest N releases are kept (plus any a server group runs). 10.
   */
  keepImages: number;
  /** Failed or cancelled builds kept per app, for their log (the newest ones). 3. */
  keepFailedBuilds: number;
  /** …and none kept past this age (the log is also copied into the database as it is built). 7 days. */
  failedBuildMaxAgeMs: number;
  /** Builds without a result and templates are left alone this long (a build starting, a deploy between steps). 1 h. */
  safetyAgeMs: number;
  /** A running instance's log is rotated past this size. 10 MiB. */
  logMaxBytes: number;
  /** Rotated generations kept (`<instance>.log.1`, `.2`). 2. */
  logGenerations: number;
  /** Logs of instances and groups that no longer exist are deleted this long after their last write. 7 days. */
  logRetentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_HOUSEKEEPING: HousekeepingPolicy = {
  intervalMs: 5 * 60 * 1000,
  keepImages: 10,
  keepFailedBuilds: 3,
  failedBuildMaxAgeMs: 7 * DAY_MS,
  safetyAgeMs: 60 * 60 * 1000,
  logMaxBytes: 10 * 1024 * 1024,
  logGenerations: 2,
  logRetentionMs: 7 * DAY_MS,
};

/** Defaults for what is not given; counts are at least 1 (0 images kept would break running releases' rollback). */
export function housekeepingPolicy(options: Partial<HousekeepingPolicy> = {}): HousekeepingPolicy {
  const policy = { ...DEFAULT_HOUSEKEEPING, ...options };
  return {
    ...policy,
    keepImages: Math.max(1, Math.trunc(policy.keepImages)),
    keepFailedBuilds: Math.max(0, Math.trunc(policy.keepFailedBuilds)),
    logGenerations: Math.max(1, Math.trunc(policy.logGenerations)),
  };
}

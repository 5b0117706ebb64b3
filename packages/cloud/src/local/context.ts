import type { Logger, SecretBox } from '@paas/core';
import type { Layout } from './state/layout';

/**
 * How app processes are kept from the platform and from each other: `users`
 * runs each app's builds and processes as an unprivileged user of its own
 * (needs root); `none` runs them as the platform's user (a developer's laptop).
 */
export type Isolation = 'users' | 'none';

/** What every local use case needs; built once by createLocalProvider. */
export interface LocalContext {
  layout: Layout;
  domain: string;
  /** How long a new instance may take to answer HTTP before it counts as unhealthy. */
  healthTimeoutMs: number;
  /** SIGTERM -> SIGKILL grace when stopping processes. */
  stopGraceMs: number;
  /** How long a write waits for another process holding the same lock. */
  lockWaitMs: number;
  isolation: Isolation;
  /** Seals config snapshots at rest; null in processes that never read or write config. */
  configBox: SecretBox | null;
  /** Instances that passed a health check lately (id → until when it stands), so describe need not probe each time. */
  recentlyHealthy: Map<string, number>;
  log: Logger;
}

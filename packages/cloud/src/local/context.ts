import type { Logger } from '@paas/core';
import type { Layout } from './state/layout';

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
  log: Logger;
}

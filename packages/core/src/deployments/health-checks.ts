import type { HealthCheck } from '../ports/cloud-provider';

/**
 * The health check each process type gets: `web` must answer HTTP on `/`
 * (below 500) before it receives traffic, within the platform's health
 * timeout; other process types serve no HTTP and are healthy while they run.
 */
export function defaultHealthCheck(processType: string, healthTimeoutMs: number): HealthCheck | null {
  if (processType !== 'web') return null;
  return {
    path: '/',
    gracePeriodMs: healthTimeoutMs,
    intervalMs: 1_000,
    timeoutMs: 2_000,
    healthyThreshold: 1,
    unhealthyThreshold: 2,
  };
}

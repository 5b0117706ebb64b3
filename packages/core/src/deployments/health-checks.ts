import { z } from 'zod';
import { parseInput } from '../apps/app-input';
import type { HealthCheck } from '../ports/cloud-provider';

/**
 * The health check each process type gets: `web` must answer HTTP on `/`
 * (below 500) before it receives traffic, within the platform's health
 * timeout; other process types serve no HTTP and are healthy while they run.
 * An app may override the web check; each cloud fits it to what it allows
 * (an ALB checks every 5 s at most often, for example).
 */
export function defaultHealthCheck(
  processType: string,
  healthTimeoutMs: number,
  override: HealthCheckOverride = {},
): HealthCheck | null {
  if (processType !== 'web') return null;
  return {
    path: override.path ?? '/',
    gracePeriodMs: healthTimeoutMs,
    intervalMs: (override.intervalSeconds ?? 1) * 1000,
    timeoutMs: (override.timeoutSeconds ?? 2) * 1000,
    healthyThreshold: override.healthyThreshold ?? 1,
    unhealthyThreshold: override.unhealthyThreshold ?? 2,
  };
}

export const healthCheckOverrideSchema = z
  .object({
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/, 'path must start with / and be a URL path')
      .max(1024)
      .optional(),
    intervalSeconds: z.number().int().min(1).max(300).optional(),
    timeoutSeconds: z.number().int().min(1).max(120).optional(),
    healthyThreshold: z.number().int().min(1).max(10).optional(),
    unhealthyThreshold: z.number().int().min(1).max(10).optional(),
  })
  .strict()
  .refine((v) => v.timeoutSeconds === undefined || v.intervalSeconds === undefined || v.timeoutSeconds < v.intervalSeconds, {
    message: 'timeoutSeconds must be shorter than intervalSeconds',
    path: ['timeoutSeconds'],
  });

export type HealthCheckOverride = z.infer<typeof healthCheckOverrideSchema>;

export function parseHealthCheckOverride(input: unknown): HealthCheckOverride {
  return parseInput(healthCheckOverrideSchema, input ?? {});
}

/** A stored override, read leniently: an old or hand-edited row never breaks a release. */
export function storedHealthCheckOverride(stored: unknown): HealthCheckOverride {
  const parsed = healthCheckOverrideSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

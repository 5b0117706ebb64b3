import { type HealthCheck, validationError } from '@paas/core';
import { z } from 'zod';

// A release template's handle: per process type, the launch template version
// the release pinned (never $Latest) and the health check its target group gets.
const healthCheck = z.object({
  path: z.string(),
  gracePeriodMs: z.number(),
  intervalMs: z.number(),
  timeoutMs: z.number(),
  healthyThreshold: z.number(),
  unhealthyThreshold: z.number(),
});

const templateRefSchema = z.object({
  aws: z.literal(1),
  processes: z.record(
    z.string(),
    z.object({ launchTemplateId: z.string(), version: z.number().int().positive(), healthCheck: healthCheck.nullable() }),
  ),
});

export type AwsTemplateRef = z.infer<typeof templateRefSchema>;
export type ProcessLaunch = AwsTemplateRef['processes'][string] & { healthCheck: HealthCheck | null };

export function formatTemplateRef(ref: AwsTemplateRef): string {
  return JSON.stringify(ref);
}

export function parseTemplateRef(text: string): AwsTemplateRef {
  try {
    return templateRefSchema.parse(JSON.parse(text));
  } catch {
    throw validationError('not a release template of the AWS provider');
  }
}

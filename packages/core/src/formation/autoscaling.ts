import { Prisma } from '@paas/db';
import { z } from 'zod';
import type { Capacity, CloudProvider, ScalingBounds, ScalingPolicy } from '../ports/cloud-provider';
import { MAX_QUANTITY } from './limits';

// Target tracking per process type, like an Auto Scaling Group's policy: the
// cloud's autoscaler moves the count within [min, max] to hold the metric at
// the target. CPU suits workers and CPU-bound web apps; requests per instance
// suits web apps that wait on I/O, whose CPU stays low while they queue.

export const AUTOSCALING_METRICS = ['cpu', 'requests'] as const;

const whole = (what: string) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(MAX_QUANTITY, `${what} must be at most ${MAX_QUANTITY}`);

export const autoscalingSchema = z
  .object({
    metric: z.enum(AUTOSCALING_METRICS, { error: 'metric must be cpu or requests' }),
    target: z.number({ error: 'target must be a number' }).positive('target must be above 0'),
    min: whole('min'),
    max: whole('max'),
  })
  .strict()
  .refine((a) => a.min <= a.max, { message: 'min must not be above max', path: ['min'] })
  .refine((a) => a.metric !== 'cpu' || (a.target >= 10 && a.target <= 90), {
    message: 'a CPU target must be between 10 and 90 (%)',
    path: ['target'],
  })
  .refine((a) => a.metric !== 'requests' || (Number.isInteger(a.target) && a.target <= 1_000_000), {
    message: 'a requests target must be a whole number of requests per instance per minute, at most 1,000,000',
    path: ['target'],
  });

export type Autoscaling = z.infer<typeof autoscalingSchema>;

/** The stored value, or null when absent or unreadable (a fixed quantity then). */
export function parseAutoscaling(value: unknown): Autoscaling | null {
  const parsed = autoscalingSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export const policyOf = (a: Autoscaling | null): ScalingPolicy | null => (a ? { metric: a.metric, target: a.target } : null);

/**
 * The capacity to ask of a group. Fixed: min = max = desired = quantity.
 * Autoscaled: the bounds, plus the quantity as the count to have now when it
 * was just asked for (a slider move); otherwise the autoscaler keeps its own.
 */
export function capacityFor(
  quantity: number,
  autoscaling: Autoscaling | null,
  options: { setCount: boolean },
): Capacity | ScalingBounds {
  if (!autoscaling) return { min: quantity, max: quantity, desired: quantity };
  const bounds = { min: autoscaling.min, max: autoscaling.max };
  if (!options.setCount) return bounds;
  return { ...bounds, desired: Math.min(autoscaling.max, Math.max(autoscaling.min, quantity)) };
}

/** The ServerGroup columns that record what was asked of the group. */
export function recordedCapacity(quantity: number, autoscaling: Autoscaling | null) {
  return {
    desired: quantity,
    minSize: autoscaling ? autoscaling.min : quantity,
    maxSize: autoscaling ? autoscaling.max : quantity,
    scaling: autoscaling ? { metric: autoscaling.metric, target: autoscaling.target } : Prisma.DbNull,
  };
}

/** Whether a group's recorded capacity and policy already match the process type's. */
export function matchesFormation(
  group: { desired: number; minSize: number; maxSize: number; scaling: unknown },
  pt: { quantity: number; autoscaling: unknown },
): boolean {
  const a = parseAutoscaling(pt.autoscaling);
  const want = recordedCapacity(pt.quantity, a);
  return (
    group.desired === want.desired &&
    group.minSize === want.minSize &&
    group.maxSize === want.maxSize &&
    JSON.stringify(group.scaling ?? null) === JSON.stringify(policyOf(a))
  );
}

/**
 * Makes a running group match its process type: count, or bounds and policy.
 * The policy goes first when turning autoscaling on (then the bounds), last
 * when turning it off, so no autoscaler acts on a fixed count in between. The
 * count is asked for only when it changed (a slider move): otherwise the
 * autoscaler keeps its own. Idempotent: it also repairs drift.
 */
export async function applyToGroup(
  cloud: Pick<CloudProvider, 'setCapacity' | 'setScalingPolicy'>,
  ref: string,
  group: { desired: number },
  pt: { quantity: number; autoscaling: unknown },
): Promise<Autoscaling | null> {
  const autoscaling = parseAutoscaling(pt.autoscaling);
  if (autoscaling) await cloud.setScalingPolicy(ref, policyOf(autoscaling));
  await cloud.setCapacity(ref, capacityFor(pt.quantity, autoscaling, { setCount: group.desired !== pt.quantity }));
  if (!autoscaling) await cloud.setScalingPolicy(ref, null);
  return autoscaling;
}

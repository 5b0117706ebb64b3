import { type Capacity, type ScalingBounds, validationError } from '@paas/core';

export const MAX_INSTANCES = 100;

/** min ≤ desired ≤ max, whole numbers, within what one machine should run. */
export function assertCapacity(capacity: Capacity): void {
  const { min, max, desired } = capacity;
  assertCounts({ min, max, desired });
  if (min > desired || desired > max)
    throw validationError(`capacity must satisfy min ≤ desired ≤ max (got ${min}, ${desired}, ${max})`);
}

/** min ≤ max, for a group whose autoscaler picks the count in between. */
export function assertBounds(bounds: ScalingBounds): void {
  assertCounts({ min: bounds.min, max: bounds.max });
  if (bounds.min > bounds.max) throw validationError(`capacity must satisfy min ≤ max (got ${bounds.min}, ${bounds.max})`);
}

function assertCounts(counts: Record<string, number>): void {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_INSTANCES) {
      throw validationError(`capacity ${name} must be a whole number between 0 and ${MAX_INSTANCES}`);
    }
  }
}

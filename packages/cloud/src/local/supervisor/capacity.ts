import { type Capacity, validationError } from '@paas/core';

export const MAX_INSTANCES = 100;

/** min ≤ desired ≤ max, whole numbers, within what one machine should run. */
export function assertCapacity(capacity: Capacity): void {
  const { min, max, desired } = capacity;
  for (const [name, value] of Object.entries({ min, max, desired })) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_INSTANCES) {
      throw validationError(`capacity ${name} must be a whole number between 0 and ${MAX_INSTANCES}`);
    }
  }
  if (min > desired || desired > max)
    throw validationError(`capacity must satisfy min ≤ desired ≤ max (got ${min}, ${desired}, ${max})`);
}

import type { Capacity } from '../ports/cloud-provider';

/** A fixed formation quantity as capacity: no autoscaling yet, so min = max = desired. */
export const capacityOf = (quantity: number): Capacity => ({ min: quantity, max: quantity, desired: quantity });

import type { ScalingBounds, ScalingPolicy } from '@paas/core';
import type { AutoscalingTimings } from '../context';

// Target tracking as an Auto Scaling Group does it, in two pure steps: the
// count the metric asks for, then whether to move to it now. Out at once,
// in one instance at a time after the metric stayed low, and nothing during
// the cooldown after a change, so the group never flaps.

/** The metric averaged over the instances it was measured on. */
export interface Measurement {
  instances: number;
  /** cpu: % per instance; requests: requests per instance per minute. */
  value: number;
}

export interface ScalingState {
  /** Epoch ms of the last change, or null. */
  lastChangeAt: number | null;
  /** Epoch ms since when fewer instances would have done, or null. */
  lowSince: number | null;
}

export interface ScalingDecision {
  desired: number;
  state: ScalingState;
  /** Why the count changed; null when it did not. */
  reason: string | null;
}

export const clampCount = (count: number, bounds: ScalingBounds) => Math.min(bounds.max, Math.max(bounds.min, count));

/**
 * The count that brings the metric to the target: the load (instances ×
 * value) divided by what one instance should carry, rounded up, within bounds.
 */
export function wantedCount(measurement: Measurement, target: number, bounds: ScalingBounds): number {
  const load = measurement.instances * measurement.value;
  // A hair below a whole number is that number: the average was a division.
  const raw = Math.ceil(load / target - 1e-9);
  return clampCount(Math.max(0, raw), bounds);
}

const round = (n: number) => Math.round(n * 10) / 10;

function describe(policy: ScalingPolicy, m: Measurement): string {
  const unit = policy.metric === 'cpu' ? '% CPU' : ' requests/min';
  return `${round(m.value)}${unit} per instance over ${m.instances} instance(s), target ${policy.target}${unit}`;
}

export function decideScaling(input: {
  now: number;
  desired: number;
  bounds: ScalingBounds;
  policy: ScalingPolicy;
  /** null when nothing could be measured (no instance running yet): only the bounds are enforced. */
  measurement: Measurement | null;
  state: ScalingState;
  timings: Pick<AutoscalingTimings, 'cooldownMs' | 'scaleInAfterMs'>;
}): ScalingDecision {
  const { now, desired, bounds, policy, measurement, state, timings } = input;
  const inBounds = clampCount(desired, bounds);
  if (inBounds !== desired) {
    return {
      desired: inBounds,
      state: { lastChangeAt: now, lowSince: null },
      reason: `desired count ${desired} is outside the bounds [${bounds.min}, ${bounds.max}]`,
    };
  }
  if (measurement === null) return { desired, state, reason: null };

  const wanted = wantedCount(measurement, policy.target, bounds);
  const coolingDown = state.lastChangeAt !== null && now - state.lastChangeAt < timings.cooldownMs;
  if (wanted > desired) {
    const held = { lastChangeAt: state.lastChangeAt, lowSince: null };
    if (coolingDown) return { desired, state: held, reason: null };
    return {
      desired: wanted,
      state: { lastChangeAt: now, lowSince: null },
      reason: `scale out: ${describe(policy, measurement)}`,
    };
  }
  if (wanted < desired) {
    const lowSince = state.lowSince ?? now;
    if (coolingDown || now - lowSince < timings.scaleInAfterMs) return { desired, state: { ...state, lowSince }, reason: null };
    return {
      desired: desired - 1,
      // The next step needs the metric to stay low for a whole window again.
      state: { lastChangeAt: now, lowSince: now },
      reason: `scale in: ${describe(policy, measurement)}, low for ${Math.round((now - lowSince) / 1000)} s`,
    };
  }
  return { desired, state: { lastChangeAt: state.lastChangeAt, lowSince: null }, reason: null };
}

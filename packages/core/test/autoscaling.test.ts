import { describe, expect, it } from 'vitest';
import { autoscalingSchema, capacityFor, matchesFormation, recordedCapacity } from '../src/formation/autoscaling';

const cpu = { metric: 'cpu' as const, target: 60, min: 2, max: 5 };

describe('autoscaling', () => {
  it('accepts target tracking within sane bounds and refuses the rest with what is wrong', () => {
    expect(autoscalingSchema.parse(cpu)).toEqual(cpu);
    expect(autoscalingSchema.parse({ metric: 'requests', target: 600, min: 1, max: 100 })).toMatchObject({ max: 100 });
    const refusal = (input: unknown) => autoscalingSchema.safeParse(input).error?.issues[0]?.message;
    expect(refusal({ ...cpu, min: 6 })).toBe('min must not be above max');
    expect(refusal({ ...cpu, min: 0 })).toBe('min must be at least 1');
    expect(refusal({ ...cpu, max: 101 })).toBe('max must be at most 100');
    expect(refusal({ ...cpu, min: 1.5 })).toBe('min must be a whole number');
    expect(refusal({ ...cpu, target: 95 })).toBe('a CPU target must be between 10 and 90 (%)');
    expect(refusal({ ...cpu, metric: 'requests', target: 10.5 })).toMatch(/whole number of requests/);
    expect(refusal({ ...cpu, metric: 'memory' })).toBe('metric must be cpu or requests');
    expect(refusal({ ...cpu, cooldown: 3 })).toMatch(/cooldown/);
  });

  it('asks a fixed count, or bounds with the count only when it was just asked for', () => {
    expect(capacityFor(3, null, { setCount: false })).toEqual({ min: 3, max: 3, desired: 3 });
    expect(capacityFor(3, cpu, { setCount: false })).toEqual({ min: 2, max: 5 });
    expect(capacityFor(3, cpu, { setCount: true })).toEqual({ min: 2, max: 5, desired: 3 });
    expect(capacityFor(9, cpu, { setCount: true })).toEqual({ min: 2, max: 5, desired: 5 });
  });

  it('sees drift in the count, the bounds or the policy, and none when they match', () => {
    const recorded = recordedCapacity(3, cpu);
    const group = {
      desired: recorded.desired,
      minSize: recorded.minSize,
      maxSize: recorded.maxSize,
      scaling: { metric: 'cpu', target: 60 },
    };
    expect(matchesFormation(group, { quantity: 3, autoscaling: cpu })).toBe(true);
    expect(matchesFormation(group, { quantity: 4, autoscaling: cpu })).toBe(false);
    expect(matchesFormation(group, { quantity: 3, autoscaling: { ...cpu, max: 6 } })).toBe(false);
    expect(matchesFormation(group, { quantity: 3, autoscaling: { ...cpu, target: 70 } })).toBe(false);
    expect(matchesFormation(group, { quantity: 3, autoscaling: null })).toBe(false);
    expect(matchesFormation({ desired: 3, minSize: 3, maxSize: 3, scaling: null }, { quantity: 3, autoscaling: null })).toBe(
      true,
    );
  });
});

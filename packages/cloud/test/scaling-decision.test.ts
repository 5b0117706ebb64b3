import type { ScalingPolicy } from '@paas/core';
import { describe, expect, it } from 'vitest';
import { addCpuSample, type CpuSample, cpuPercent, TICKS_PER_SECOND } from '../src/local/autoscaling/cpu-usage';
import { decideScaling, type Measurement, type ScalingState, wantedCount } from '../src/local/autoscaling/scaling-decision';

const bounds = { min: 1, max: 5 };
const timings = { cooldownMs: 30_000, scaleInAfterMs: 120_000 };
const requests: ScalingPolicy = { metric: 'requests', target: 100 };
const fresh: ScalingState = { lastChangeAt: null, lowSince: null };

describe('wanted count', () => {
  it('is the load over the target, rounded up, within bounds', () => {
    expect(wantedCount({ instances: 2, value: 150 }, 100, bounds)).toBe(3);
    expect(wantedCount({ instances: 1, value: 100 }, 100, bounds)).toBe(1);
    expect(wantedCount({ instances: 1, value: 101 }, 100, bounds)).toBe(2);
    expect(wantedCount({ instances: 3, value: 0 }, 100, bounds)).toBe(1);
    expect(wantedCount({ instances: 4, value: 1_000 }, 100, bounds)).toBe(5);
    expect(wantedCount({ instances: 3, value: 0 }, 100, { min: 0, max: 3 })).toBe(0);
  });

  it('does not add an instance for a rounding error of the average', () => {
    expect(wantedCount({ instances: 3, value: 200 / 3 }, 200 / 3, bounds)).toBe(3);
    expect(wantedCount({ instances: 3, value: 0.1 + 0.2 }, 0.3, bounds)).toBe(3);
  });
});

describe('scaling decision', () => {
  const decide = (desired: number, measurement: Measurement | null, state: ScalingState, now: number) =>
    decideScaling({ now, desired, bounds, policy: requests, measurement, state, timings });

  it('scales out at once to the count the metric asks for, and says why', () => {
    const d = decide(1, { instances: 1, value: 350 }, fresh, 1_000);
    expect(d.desired).toBe(4);
    expect(d.state).toEqual({ lastChangeAt: 1_000, lowSince: null });
    expect(d.reason).toMatch(/scale out: 350 requests\/min per instance over 1 instance\(s\), target 100/);
  });

  it('waits out the cooldown after a change before scaling out again', () => {
    const after = { lastChangeAt: 1_000, lowSince: null };
    expect(decide(2, { instances: 2, value: 200 }, after, 30_999)).toMatchObject({ desired: 2, reason: null });
    expect(decide(2, { instances: 2, value: 200 }, after, 31_000)).toMatchObject({ desired: 4 });
  });

  it('scales in one instance only after the metric stayed low for the whole window, then waits again', () => {
    const low = { instances: 3, value: 10 };
    let state = fresh;
    let desired = 3;
    const seen: number[] = [];
    for (let now = 0; now <= 600_000; now += 5_000) {
      const d = decide(desired, low, state, now);
      if (d.desired !== desired) seen.push(now);
      expect(d.desired).toBeGreaterThanOrEqual(desired - 1);
      desired = d.desired;
      state = d.state;
    }
    expect(desired).toBe(1);
    expect(seen).toEqual([120_000, 240_000]);
  });

  it('forgets a low spell when the metric comes back up, so a dip does not remove an instance', () => {
    const d1 = decide(3, { instances: 3, value: 10 }, fresh, 0);
    expect(d1.state.lowSince).toBe(0);
    const d2 = decide(3, { instances: 3, value: 100 }, d1.state, 60_000);
    expect(d2).toMatchObject({ desired: 3, state: { lowSince: null } });
    const d3 = decide(3, { instances: 3, value: 10 }, d2.state, 150_000);
    expect(d3.desired).toBe(3);
    expect(decide(3, { instances: 3, value: 10 }, d3.state, 269_999).desired).toBe(3);
    expect(decide(3, { instances: 3, value: 10 }, d3.state, 270_000).desired).toBe(2);
  });

  it('does not scale in while the group is exactly at its target (no flapping at the edge)', () => {
    // 3 instances × 66 = 198 requests/min: 2 instances would carry 99 each, under 100, so one may go;
    // at 2 × 99 the metric asks for 2 again and the group stays.
    let state = fresh;
    let desired = 3;
    for (let now = 0; now <= 300_000; now += 5_000) {
      const d = decide(desired, { instances: desired, value: 198 / desired }, state, now);
      desired = d.desired;
      state = d.state;
    }
    expect(desired).toBe(2);
  });

  it('keeps the count when nothing was measured, but always moves it into the bounds', () => {
    expect(decide(2, null, fresh, 0)).toEqual({ desired: 2, state: fresh, reason: null });
    const d = decide(9, null, fresh, 5);
    expect(d).toMatchObject({ desired: 5, state: { lastChangeAt: 5 } });
    expect(d.reason).toMatch(/outside the bounds/);
  });

  it('uses the metric in its reason: CPU in %', () => {
    const d = decideScaling({
      now: 0,
      desired: 1,
      bounds,
      policy: { metric: 'cpu', target: 50 },
      measurement: { instances: 1, value: 97.25 },
      state: fresh,
      timings,
    });
    expect(d.desired).toBe(2);
    expect(d.reason).toMatch(/97.3% CPU per instance/);
  });
});

describe('cpu usage', () => {
  const ticks = (seconds: number) => seconds * TICKS_PER_SECOND;

  it('is CPU time over wall time per CPU, between the oldest and newest sample', () => {
    const samples: CpuSample[] = [
      { at: 0, ticks: ticks(10) },
      { at: 10_000, ticks: ticks(15) },
    ];
    expect(cpuPercent(samples, 1)).toBeCloseTo(50);
    expect(cpuPercent(samples, 2)).toBeCloseTo(25);
  });

  it('needs two samples at least a second apart, and never goes negative', () => {
    expect(cpuPercent([{ at: 0, ticks: 5 }], 1)).toBeNull();
    expect(
      cpuPercent(
        [
          { at: 0, ticks: 5 },
          { at: 500, ticks: 50 },
        ],
        1,
      ),
    ).toBeNull();
    expect(
      cpuPercent(
        [
          { at: 0, ticks: 500 },
          { at: 5_000, ticks: 100 },
        ],
        1,
      ),
    ).toBe(0);
  });

  it('keeps the samples that span the window and no older ones', () => {
    let samples: CpuSample[] = [];
    for (let at = 0; at <= 100_000; at += 5_000) samples = addCpuSample(samples, { at, ticks: at / 10 }, 60_000);
    expect(samples[0]?.at).toBe(40_000);
    expect(samples.at(-1)?.at).toBe(100_000);
    expect(cpuPercent(samples, 1)).toBeCloseTo(100);
    // A repeated or older sample replaces nothing that came after it.
    expect(addCpuSample(samples, { at: 100_000, ticks: 0 }, 60_000).at(-1)).toEqual({ at: 100_000, ticks: 0 });
  });
});

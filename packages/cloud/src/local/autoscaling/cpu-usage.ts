// CPU utilisation of an instance from its processes' CPU time in /proc,
// sampled at each evaluation: the time used between two samples over the
// wall time between them, per CPU the instance's size has, like EC2's
// CPUUtilization. Pure, so the arithmetic is tested without processes.

/** /proc reports CPU time in USER_HZ, which Linux fixes at 100 per second for user space on every architecture. */
export const TICKS_PER_SECOND = 100;
/** Samples closer together than this say little (a tick is 10 ms). */
const MIN_SPAN_MS = 1_000;

export interface CpuSample {
  /** Epoch ms. */
  at: number;
  /** CPU ticks of the instance's processes, summed. */
  ticks: number;
}

/**
 * Appends a sample and drops those no longer needed: the oldest one kept is
 * the newest at or before `windowMs` ago, so the average spans the whole
 * window once there is that much history.
 */
export function addCpuSample(samples: readonly CpuSample[], sample: CpuSample, windowMs: number): CpuSample[] {
  const kept = [...samples.filter((s) => s.at < sample.at), sample];
  while (kept.length > 1 && (kept[1] as CpuSample).at <= sample.at - windowMs) kept.shift();
  return kept;
}

/** Average CPU % of `cpus` CPUs between the oldest and newest sample; null without enough history. */
export function cpuPercent(samples: readonly CpuSample[], cpus: number): number | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || last.at - first.at < MIN_SPAN_MS) return null;
  // A process that exited takes its CPU time with it: never a negative use.
  const seconds = Math.max(0, last.ticks - first.ticks) / TICKS_PER_SECOND;
  return (seconds / ((last.at - first.at) / 1000) / Math.max(1, cpus)) * 100;
}

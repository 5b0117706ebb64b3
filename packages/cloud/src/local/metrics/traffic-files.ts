import type { SparseHistogram } from './latency-histogram';

// The router's traffic counts on disk: one directory per target (a server
// group it forwarded to, or an app for the answers it gave itself), one file
// per minute and router process. A router only ever rewrites its own files,
// so a restarted router, or two on one data dir, never overwrite each
// other's counts; readers add the files of a minute up.
//
//   metrics/<target>/<YYYYMMDDTHHMMZ>.<writer>.json

/** Counts are kept per 10 s, like an ALB's high-resolution metrics; a minute file holds up to six. */
export const BUCKET_MS = 10_000;
export const MINUTE_MS = 60_000;

export interface TrafficBucket {
  /** Start of the 10 s bucket, epoch ms. */
  start: number;
  requests: number;
  errors5xx: number;
  latency: SparseHistogram;
}

export interface TrafficFile {
  target: string;
  /** Start of the minute, ISO. */
  minute: string;
  buckets: TrafficBucket[];
}

/** The target for what the router answered itself for an app (502/503: no instance could answer). */
export const appTarget = (appId: string) => `app-${appId}`;

export const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** `20261124T1745Z`: sorts by time and is a safe file name. */
export function minuteStamp(minuteStart: number): string {
  return new Date(minuteStart).toISOString().slice(0, 16).replace(/[-:]/g, '').concat('Z');
}

const FILE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z\.([0-9a-f]+)\.json$/;

export function trafficFileName(minuteStart: number, writer: string): string {
  return `${minuteStamp(minuteStart)}.${writer}.json`;
}

/** The minute a traffic file is for (epoch ms), or null for anything else in the directory (temp files). */
export function minuteOfFile(name: string): number | null {
  const match = FILE.exec(name);
  if (match === null) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d as number, h as number, mi as number);
}

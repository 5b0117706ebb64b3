import { stat } from 'node:fs/promises';

// An instance log and what rotation makes of it (housekeeping/rotate-log.ts):
//   <instance>.log           the live file, appended to by the process
//   <instance>.log.1, .2     earlier generations, newest first
//   <instance>.log.rotating  the copy being made; while it exists a rotation is under way

export const logGeneration = (path: string, n: number) => `${path}.${n}`;
export const rotationMarker = (path: string) => `${path}.rotating`;

/** A rotation marker older than this was left by a crash; readers stop waiting on it. */
export const ROTATION_STALE_MS = 60_000;

/** Whether a rotation of `path` is under way (a young marker). */
export async function isRotating(path: string, now = Date.now()): Promise<boolean> {
  const marker = await stat(rotationMarker(path)).catch(() => null);
  return marker !== null && now - marker.mtimeMs < ROTATION_STALE_MS;
}

/**
 * Names the newest rotated generation: its mtime in ms (a new file each
 * rotation, minutes apart), 0 when the log was never rotated. A reader that
 * kept it in its cursor knows when a rotation happened since.
 */
export async function rotationStamp(path: string): Promise<number> {
  const first = await stat(logGeneration(path, 1)).catch(() => null);
  return first === null ? 0 : Math.trunc(first.mtimeMs);
}

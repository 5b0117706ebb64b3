import { type CheckStatus, check, type DoctorCheck, errorMessage } from './check';

const GiB = 1024 ** 3;
export const DISK_WARN_BYTES = 5 * GiB;
export const DISK_FAIL_BYTES = 1 * GiB;
export const DISK_WARN_FRACTION = 0.1;

export interface DiskSpace {
  /** Bytes an unprivileged process may still write. */
  free: number;
  total: number;
}

/** Fail under 1 GiB free (a build or an image no longer fits); warn under 5 GiB or 10 %. */
export function diskStatus(space: DiskSpace): CheckStatus {
  if (space.free < DISK_FAIL_BYTES) return 'fail';
  if (space.free < DISK_WARN_BYTES || (space.total > 0 && space.free / space.total < DISK_WARN_FRACTION)) return 'warn';
  return 'ok';
}

export const formatBytes = (bytes: number) =>
  bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;

export interface DiskProbe {
  space(path: string): Promise<DiskSpace>;
  /** What the biggest entries of the directory hold, biggest first; empty when it would cost too much to tell. */
  usage(path: string): Promise<{ name: string; bytes: number }[]>;
}

/** Free space where the local provider keeps builds, images and logs (PAAS_DATA_DIR). */
export async function checkDisk(deps: { dataDir: string; disk: DiskProbe }): Promise<DoctorCheck> {
  const title = 'Disk space';
  let space: DiskSpace;
  try {
    space = await deps.disk.space(deps.dataDir);
  } catch (error) {
    return check(
      'disk',
      title,
      'fail',
      `The data dir ${deps.dataDir} cannot be read (${errorMessage(error)}).`,
      `Create it and let the platform's user write it (mkdir -p ${deps.dataDir}), or set PAAS_DATA_DIR to a writable directory`,
    );
  }
  const status = diskStatus(space);
  const percent = space.total > 0 ? ` (${Math.round((space.free / space.total) * 100)} %)` : '';
  const summary = `${formatBytes(space.free)} free of ${formatBytes(space.total)}${percent} on the data dir ${deps.dataDir}`;
  if (status === 'ok') return check('disk', title, 'ok', `${summary}.`);
  const usage = await deps.disk.usage(deps.dataDir).catch(() => []);
  const uses = usage.length
    ? ` Largest: ${usage
        .slice(0, 4)
        .map((u) => `${u.name} ${formatBytes(u.bytes)}`)
        .join(', ')}.`
    : '';
  return check(
    'disk',
    title,
    status,
    `${status === 'fail' ? 'Almost no space left' : 'Space is running low'}: ${summary}.${uses}`,
    `Free space on that disk (old images and logs of deleted apps go first: paas apps:destroy what is unused), or move PAAS_DATA_DIR to a larger disk`,
  );
}

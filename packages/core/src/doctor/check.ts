// What `paas doctor` reports: one line per thing a platform install needs,
// with the exact command or setting that fixes it when it is wrong.

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** The command to run or the setting to change; only when there is something to fix. */
  fix?: string;
}

export const check = (id: string, title: string, status: CheckStatus, detail: string, fix?: string): DoctorCheck =>
  fix === undefined ? { id, title, status, detail } : { id, title, status, detail, fix };

/** The worst status of a list: what the command's exit code and a summary go by. */
export function worstStatus(checks: readonly Pick<DoctorCheck, 'status'>[]): CheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'ok';
}

/**
 * A probe that does not answer in time counts as unreachable: a firewall that
 * drops packets must not hang the whole check-up.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

import 'server-only';
import { AppError } from '@paas/core';

// Wrong API tokens (and wrong passwords, counted apart), per client address:
// the first few are answered at once, then each waits a little longer, then the
// address is refused until its window ends. Kept in this process's memory: one web process per install, and
// a restart forgetting is harmless (the window is short).
const WINDOW_MS = 10 * 60_000;
const FREE_FAILURES = 5;
const MAX_FAILURES = 15;
const STEP_DELAY_MS = 100;
const MAX_TRACKED = 50_000;

const failures = new Map<string, { count: number; since: number }>();

/** What failed: a secret guessed by scripts (API and setup tokens) or a person's password. */
export type SecretKind = 'token' | 'password';

function entry(key: string, now: number) {
  const found = failures.get(key);
  if (found && now - found.since < WINDOW_MS) return found;
  if (failures.size >= MAX_TRACKED) failures.clear();
  const fresh = { count: 0, since: now };
  failures.set(key, fresh);
  return fresh;
}

/** Before checking a token: refuses an address that failed too often. */
export function ensureNotThrottled(ip: string | null, kind: SecretKind = 'token'): void {
  if (!ip) return;
  const now = Date.now();
  const found = entry(`${kind} ${ip}`, now);
  if (found.count >= MAX_FAILURES) {
    const retryAfter = Math.ceil((found.since + WINDOW_MS - now) / 1000);
    throw new AppError('rate_limited', `too many failed sign-ins from this address: try again in ${retryAfter} s`, {
      details: { retryAfter },
    });
  }
}

/** After a wrong token: counts it and slows the answer down. */
export async function noteFailure(ip: string | null, kind: SecretKind = 'token'): Promise<void> {
  if (!ip) return;
  const found = entry(`${kind} ${ip}`, Date.now());
  found.count += 1;
  const excess = found.count - FREE_FAILURES;
  if (excess > 0) await new Promise((r) => setTimeout(r, Math.min(excess * STEP_DELAY_MS, 1_000)));
}

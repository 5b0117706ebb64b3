import { isAppError } from '@paas/core';

// Every dashboard change goes through the same use case as the REST API; the
// result is a value the page shows (errors carry the use case's message).
export type ActionResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

export async function attempt<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.message };
    throw error;
  }
}

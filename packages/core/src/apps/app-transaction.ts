import type { Db, Tx } from '@paas/db';

// Changes to one app take its row lock (lockApp), so a burst of them (150
// pushes of one commit) queues: each waits for a connection and the lock, then
// is quick. Wait long enough for such a line to drain, and stay well inside
// GitHub's 10 s for a webhook answer.
const CHANGE_TRANSACTION = { maxWait: 8_000, timeout: 15_000 };

/** A transaction for a change to an app, sized for bursts of changes to the same app. */
export function appTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, CHANGE_TRANSACTION);
}

import type { Logger } from './ports/logger';

/**
 * Postgres already holds the work; the queue only says "look now". When Redis
 * is down that message is lost, which is fine: the reconciler finds overdue
 * work in Postgres and delivers it once Redis is back. So an enqueue failure
 * is logged, never raised to the caller (an API request, a webhook, a step).
 */
export async function deliver(log: Logger, what: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    log.warn(`could not enqueue ${what}; the reconciler will deliver it`, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

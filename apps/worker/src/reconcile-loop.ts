import { type CoreContext, reconcilePlatform } from '@paas/core';

/**
 * The platform's upkeep on a timer of the worker's own: it needs no Redis to
 * keep time (a Redis restart empties every queue and every repeatable job), so
 * crashed app processes are replaced and overdue work is found even while
 * Redis is away. Every worker runs it; each part is safe to run concurrently.
 */
export function startReconcileLoop(ctx: CoreContext, everyMs: number) {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = reconcilePlatform(ctx)
      .then((result) => {
        if (result.redelivered > 0 || result.resized > 0 || result.removed > 0) ctx.log.info('reconciled', result);
      })
      .catch((error: unknown) => ctx.log.warn('reconcile failed; next tick retries', { error: String(error) }))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

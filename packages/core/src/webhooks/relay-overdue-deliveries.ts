import type { CoreContext } from '../context';
import { deliver } from '../queue-delivery';

/** How long a stored delivery may wait for its relay before the sweep asks again. */
const GRACE_MS = 5_000;

/**
 * The receiver asks for a relay right after storing a batch; when Redis was
 * down then, or the worker died mid-relay, deliveries stay `received`. This
 * finds them and asks again. Returns how many are overdue.
 */
export async function relayOverdueDeliveries(ctx: Pick<CoreContext, 'db' | 'queue' | 'log' | 'now'>): Promise<number> {
  const now = ctx.now();
  const overdue = await ctx.db.webhookDelivery.count({
    where: { status: 'received', receivedAt: { lt: new Date(now.getTime() - GRACE_MS) } },
  });
  if (overdue > 0) {
    await deliver(ctx.log, 'a webhook relay', () => ctx.queue.relayDeliveries({ key: `sweep.${now.getTime()}` }));
  }
  return overdue;
}

import type { CoreContext } from '../context';

const BATCH = 1_000;

/**
 * Deletes webhook deliveries received before the retention window, a batch
 * per pass so one pass never holds a long lock. Deployments they caused keep
 * everything but the link to them.
 */
export async function pruneWebhookDeliveries(ctx: Pick<CoreContext, 'db' | 'timings' | 'now'>): Promise<number> {
  const before = new Date(ctx.now().getTime() - ctx.timings.webhookRetentionMs);
  const old = await ctx.db.webhookDelivery.findMany({
    where: { receivedAt: { lt: before } },
    select: { id: true },
    orderBy: { receivedAt: 'asc' },
    take: BATCH,
  });
  if (old.length === 0) return 0;
  const { count } = await ctx.db.webhookDelivery.deleteMany({ where: { id: { in: old.map((d) => d.id) } } });
  return count;
}

import { Prisma } from '@paas/db';
import { appTransaction } from '../apps/app-transaction';
import type { CoreContext } from '../context';
import { deploymentJobKey } from '../deployments/job-keys';
import { isInstallationEvent, relayInstallationEvents } from '../github/relay-installation-events';
import { relayPullRequests } from '../github/relay-pull-requests';
import { deliver } from '../queue-delivery';
import { isRetryableError } from '../retryable';
import { ignored, type RelayBatch, type RelayedDelivery, type RelayOutcome } from './relay-outcome';
import { relayPushes } from './relay-pushes';
import { storedPayload } from './stored-payload';

/** Most deliveries one transaction takes, so it stays short. */
const BATCH = 200;
/** Batches one relay job runs before leaving the rest to the next job. */
const MAX_BATCHES = 10;

type RelayContext = Pick<CoreContext, 'db' | 'queue' | 'log' | 'secrets'>;

/**
 * Turns stored deliveries into the work they ask for, oldest first, until none
 * is left. Returns how many it relayed.
 */
export async function relayPendingDeliveries(ctx: RelayContext): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await relayBatch(ctx);
    total += n;
    if (n < BATCH) break;
  }
  return total;
}

/**
 * One batch. When it fails for a reason retrying cannot fix, the batch is
 * relayed one delivery at a time and the one that fails is recorded as failed
 * with the reason: one bad delivery never holds back the ones behind it.
 */
async function relayBatch(ctx: RelayContext): Promise<number> {
  try {
    return await relay(ctx, null);
  } catch (error) {
    if (isRetryableError(error)) throw error;
    const pending = await ctx.db.webhookDelivery.findMany({
      where: { status: 'received' },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      take: BATCH,
      select: { id: true },
    });
    let n = 0;
    for (const { id } of pending) {
      try {
        n += await relay(ctx, id);
      } catch (alone) {
        if (isRetryableError(alone)) throw alone;
        const reason = alone instanceof Error ? alone.message : String(alone);
        ctx.log.error('a webhook delivery could not be relayed', { delivery: id, error: reason });
        await ctx.db.webhookDelivery.updateMany({
          where: { id, status: 'received' },
          data: { status: 'failed', result: `could not be relayed: ${reason.slice(0, 300)}`, processedAt: new Date() },
        });
        n++;
      }
    }
    return n;
  }
}

/**
 * Exactly once: deliveries still `received` (all, or the one named) are
 * claimed (locked; those another worker holds are skipped), acted on and
 * marked in one transaction. A worker that dies midway leaves them `received`
 * for the next relay; one that finishes leaves nothing to redo, however often
 * the queue asks.
 */
async function relay(ctx: RelayContext, only: string | null): Promise<number> {
  const batch: RelayBatch = { outcomes: new Map(), appNotes: new Map(), wake: [], destroy: [] };
  const relayed = await appTransaction(ctx.db, async (tx) => {
    const rows = await tx.$queryRaw<
      { id: string; deliveryId: string; event: string; rawBody: Uint8Array; scopeAppId: string | null }[]
    >`
      SELECT "id"::text AS "id", "deliveryId", "event", "rawBody", "scopeAppId"::text AS "scopeAppId" FROM "WebhookDelivery"
      WHERE "status" = 'received' ${only ? Prisma.sql`AND "id" = ${only}::uuid` : Prisma.empty}
      ORDER BY "receivedAt", "id"
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;

    const byEvent = new Map<string, RelayedDelivery[]>();
    for (const row of rows) {
      const payload = storedPayload(row.rawBody);
      if (!payload) {
        batch.outcomes.set(row.id, { status: 'failed', result: 'the stored payload cannot be read' });
        continue;
      }
      const list = byEvent.get(row.event) ?? [];
      list.push({ id: row.id, deliveryId: row.deliveryId, event: row.event, payload, scopeAppId: row.scopeAppId });
      byEvent.set(row.event, list);
    }
    for (const [event, deliveries] of byEvent) {
      if (event === 'push') await relayPushes(tx, deliveries, batch);
      else if (isInstallationEvent(event)) {
        // Only the GitHub App's own deliveries may change what it reaches.
        for (const d of deliveries.filter((x) => x.scopeAppId))
          batch.outcomes.set(d.id, ignored('installation events come only from the GitHub App'));
        await relayInstallationEvents(
          tx,
          deliveries.filter((x) => !x.scopeAppId),
          batch,
        );
      } else if (event === 'pull_request') await relayPullRequests(tx, ctx.secrets, deliveries, batch);
      else
        for (const d of deliveries)
          batch.outcomes.set(d.id, event === 'ping' ? ignored('ping') : ignored(`event "${event}" is not handled`));
    }

    // One UPDATE per distinct outcome: a burst of pushes shares two or three.
    const groups = new Map<string, { outcome: RelayOutcome; ids: string[] }>();
    for (const [id, outcome] of batch.outcomes) {
      const key = `${outcome.status}\n${outcome.result}`;
      const group = groups.get(key) ?? { outcome, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    const processedAt = new Date();
    for (const { outcome, ids } of groups.values()) {
      await tx.webhookDelivery.updateMany({
        where: { id: { in: ids } },
        data: { status: outcome.status, result: outcome.result, processedAt },
      });
    }
    const notes = [...batch.appNotes].flatMap(([deliveryId, perApp]) =>
      [...perApp].map(([appId, result]) => ({ deliveryId, appId, result })),
    );
    if (notes.length > 0) await tx.webhookDeliveryApp.createMany({ data: notes, skipDuplicates: true });
    return rows.length;
  });

  for (const id of new Set(batch.wake)) {
    await deliver(ctx.log, 'a deployment', () => ctx.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  for (const appId of batch.destroy) {
    await deliver(ctx.log, 'an app deletion', () => ctx.queue.destroyApp(appId, { key: `${appId}.destroy` }));
  }
  return relayed;
}

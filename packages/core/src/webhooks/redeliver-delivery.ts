import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { AppError, notFound } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';

/**
 * Relays a stored delivery again, from the exact bytes GitHub sent: one that
 * failed (after the cause is fixed), or one that was ignored (say, pushed
 * before its app was connected). One that was processed is refused: it already
 * caused its deployment, and a second would deploy again.
 */
export async function redeliverDelivery(deps: { db: Db; queue: JobQueue; log: Logger }, deliveryId: string, actor: Actor) {
  const reset = await deps.db.$transaction(async (tx) => {
    const found = await tx.webhookDelivery.findUnique({
      where: { deliveryId },
      select: { id: true, status: true, result: true },
    });
    if (!found) throw notFound('delivery', deliveryId);
    if (found.status === 'processed') {
      throw new AppError(
        'conflict',
        `delivery ${deliveryId} was already processed (${found.result}); relaying it again would repeat that`,
      );
    }
    if (found.status === 'received') throw new AppError('conflict', `delivery ${deliveryId} is waiting to be relayed already`);
    // Only if no one changed it meanwhile (compare-and-set on the status read above).
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: found.id, status: found.status },
      data: { status: 'received', result: null, processedAt: null },
    });
    if (count === 0) throw new AppError('conflict', `delivery ${deliveryId} changed meanwhile; look again`);
    await tx.webhookDeliveryApp.deleteMany({ where: { deliveryId: found.id } });
    await recordAuditEvent(tx, {
      actor,
      action: 'webhook_delivery.redeliver',
      targetType: 'webhook_delivery',
      targetId: found.id,
      data: { deliveryId, before: { status: found.status, result: found.result } },
    });
    return found;
  });
  await deliver(deps.log, 'a webhook relay', () => deps.queue.relayDeliveries({ key: `redeliver.${reset.id}.${Date.now()}` }));
  return { id: deliveryId, status: 'received' as const, previously: reset.status };
}

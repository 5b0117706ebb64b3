import type { Db } from '@paas/db';
import type { DeliverySummary } from './delivery-summary';

export interface NewDelivery extends DeliverySummary {
  /** X-GitHub-Delivery. */
  deliveryId: string;
  event: string;
  /** The exact bytes that were signed: the one stored form of the payload. */
  rawBody: Uint8Array;
  /** Signed with this app's own webhook secret: the delivery may act on it only. */
  scopeAppId?: string | null;
}

const COLUMNS = [
  'deliveryId',
  'event',
  'action',
  'repository',
  'repositoryId',
  'installationId',
  'ref',
  'headCommit',
  'rawBody',
  'scopeAppId',
] as const;

/**
 * Stores verified deliveries in one INSERT (the receiver gathers the requests
 * that arrive together, so a burst costs one commit per batch, not per
 * delivery). A delivery id already stored (GitHub reuses it on redelivery) is
 * skipped. Returns the row id of each delivery this call stored.
 *
 * Plain SQL rather than the ORM: this is the receiver's whole hot path, and
 * building the query through the client cost more than Postgres did.
 */
export async function recordDeliveries(db: Db, deliveries: NewDelivery[]): Promise<Map<string, string>> {
  if (deliveries.length === 0) return new Map();
  const values: unknown[] = [];
  const rows = deliveries.map((d) => {
    const first = values.length;
    values.push(
      d.deliveryId,
      d.event,
      d.action,
      d.repository,
      d.repositoryId,
      d.installationId,
      d.ref,
      d.headCommit,
      Buffer.from(d.rawBody),
      d.scopeAppId ?? null,
    );
    // The scope is a uuid column: its parameter says so.
    return `(gen_random_uuid(), ${COLUMNS.map((c, i) => `$${first + i + 1}${c === 'scopeAppId' ? '::uuid' : ''}`).join(', ')})`;
  });
  const stored = await db.$queryRawUnsafe<{ id: string; deliveryId: string }[]>(
    `INSERT INTO "WebhookDelivery" ("id", ${COLUMNS.map((c) => `"${c}"`).join(', ')})
     VALUES ${rows.join(', ')}
     ON CONFLICT ("deliveryId") DO NOTHING
     RETURNING "id"::text AS "id", "deliveryId"`,
    ...values,
  );
  return new Map(stored.map((r) => [r.deliveryId, r.id]));
}

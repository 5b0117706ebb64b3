import type { Db } from '@paas/db';
import { notFound } from '../errors';

const LIMIT = 50;

/** Failed and ignored deliveries can be relayed again (after a fix, or after connecting an app). */
const REDELIVERABLE = new Set(['failed', 'ignored']);

function view(d: {
  deliveryId: string;
  event: string;
  action: string | null;
  repository: string | null;
  ref: string | null;
  headCommit: string | null;
  status: string;
  result: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}) {
  return {
    id: d.deliveryId,
    event: d.action ? `${d.event}.${d.action}` : d.event,
    repository: d.repository,
    ref: d.ref,
    headCommit: d.headCommit,
    status: d.status,
    result: d.result,
    receivedAt: d.receivedAt.toISOString(),
    processedAt: d.processedAt?.toISOString() ?? null,
    canRedeliver: REDELIVERABLE.has(d.status),
  };
}

/** The recent deliveries about an app's repository, each with what it meant for this app. */
export async function listAppDeliveries(deps: { db: Db }, name: string) {
  const app = await deps.db.app.findUnique({ where: { name }, select: { id: true, deletingAt: true } });
  if (!app || app.deletingAt) throw notFound('app', name);
  const rows = await deps.db.webhookDeliveryApp.findMany({
    where: { appId: app.id },
    orderBy: { createdAt: 'desc' },
    take: LIMIT,
    include: { delivery: true },
  });
  return rows.map((r) => ({ ...view(r.delivery), forApp: r.result }));
}

/** The platform's recent deliveries, newest first; `status` narrows them (e.g. the failed ones). */
export async function listDeliveries(deps: { db: Db }, filter: { status?: string | null } = {}) {
  const status = filter.status && ['received', 'processed', 'ignored', 'failed'].includes(filter.status) ? filter.status : null;
  const rows = await deps.db.webhookDelivery.findMany({
    where: status ? { status: status as 'received' | 'processed' | 'ignored' | 'failed' } : {},
    orderBy: { receivedAt: 'desc' },
    take: LIMIT,
    omit: { rawBody: true },
  });
  return rows.map(view);
}

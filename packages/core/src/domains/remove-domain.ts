import type { Db } from '@paas/db';
import { appTransaction } from '../apps/app-transaction';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { notFound } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';

/** DELETE: the domain stops being served, its certificate is removed, then its row. Repeating is harmless. */
export async function removeDomain(
  deps: { db: Db; queue: JobQueue; log: Logger },
  appName: string,
  hostname: string,
  actor: Actor,
) {
  const domain = await appTransaction(deps.db, async (tx) => {
    const app = await tx.app.findUnique({ where: { name: appName } });
    if (!app) throw notFound('app', appName);
    const found = await tx.domain.findFirst({ where: { appId: app.id, hostname: hostname.toLowerCase() } });
    if (!found) throw notFound('domain', hostname);
    if (found.status === 'removing') return found;
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'domain.remove',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { hostname: found.hostname },
    });
    return tx.domain.update({ where: { id: found.id }, data: { status: 'removing', nextCheckAt: new Date() } });
  });
  await deliver(deps.log, 'a domain removal', () => deps.queue.advanceDomain(domain.id, { key: `${domain.id}.remove` }));
  return { hostname: domain.hostname, status: 'removing' as const };
}

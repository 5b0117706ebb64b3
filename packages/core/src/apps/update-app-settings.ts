import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { parseHealthCheckOverride } from '../deployments/health-checks';
import { notFound, validationError } from '../errors';
import { appTransaction } from './app-transaction';

/**
 * PATCH an app's settings: today its web health check (`{"healthCheck": {path,
 * intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold}}`, or
 * null for the defaults). The next release (a deploy or a config change) uses it;
 * what runs now keeps the check it was released with.
 */
export async function updateAppSettings(deps: { db: Db }, name: string, input: unknown, actor: Actor) {
  if (typeof input !== 'object' || input === null || !('healthCheck' in input)) {
    throw validationError('send {"healthCheck": {...}} (or null for the defaults)');
  }
  const raw = (input as { healthCheck: unknown }).healthCheck;
  const healthCheck = raw === null ? {} : parseHealthCheckOverride(raw);
  return appTransaction(deps.db, async (tx) => {
    const app = await tx.app.findUnique({ where: { name } });
    if (!app || app.deletingAt) throw notFound('app', name);
    await tx.app.update({ where: { id: app.id }, data: { healthCheck } });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'app.settings',
      targetType: 'app',
      targetId: app.id,
      data: { before: { healthCheck: app.healthCheck }, after: { healthCheck } },
    });
    return { name: app.name, healthCheck };
  });
}

import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context';
import { deploymentJobKey } from '../deployments/job-keys';
import { requestCancel } from '../deployments/request-cancel';
import { LIVE_STATES } from '../deployments/steps-machine';
import { notFound } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { appTransaction } from './app-transaction';

/**
 * DELETE: marks the app as being deleted and cancels its deployments in one
 * transaction; the worker then removes its cloud resources and its rows. The
 * name is free again once the worker is done. Its review apps are deleted
 * too. Repeating the request is harmless.
 */
export async function requestAppDeletion(deps: { db: Db; queue: JobQueue; log: Logger }, name: string, actor: Actor) {
  const { app, live } = await appTransaction(deps.db, async (tx) => {
    const found = await tx.app.findUnique({ where: { name } });
    if (!found) throw notFound('app', name);
    if (found.deletingAt) return { app: found, live: [] };
    const app = await tx.app.update({ where: { id: found.id }, data: { deletingAt: new Date() } });
    const live = await tx.deployment.findMany({
      where: { appId: app.id, state: { in: [...LIVE_STATES] } },
      select: { id: true },
    });
    await requestCancel(
      tx,
      { appId: app.id, state: { in: [...LIVE_STATES] } },
      { code: 'canceled', message: 'The app is being deleted' },
    );
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'app.delete',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { name },
    });
    return { app, live };
  });
  for (const d of live) {
    await deliver(deps.log, 'a cancel', () =>
      deps.queue.advanceDeployment(d.id, { key: deploymentJobKey.cancel(d.id, new Date()) }),
    );
  }
  await deliver(deps.log, 'an app deletion', () => deps.queue.destroyApp(app.id, { key: `${app.id}.destroy` }));
  // Its review apps go with it: they exist only for its pull requests.
  const reviewApps = await deps.db.app.findMany({ where: { parentAppId: app.id, deletingAt: null }, select: { name: true } });
  for (const review of reviewApps) await requestAppDeletion(deps, review.name, actor);
  return { name: app.name, deletingAt: (app.deletingAt ?? new Date()).toISOString() };
}

export type DestroyAppResult =
  | { type: 'destroyed' }
  | { type: 'waiting'; retryInMs: number; reason: string }
  | { type: 'skipped'; reason: string };

/**
 * The worker's part of a deletion: once no deployment of the app is still
 * unwinding (they were cancelled), remove everything it owns in its cloud,
 * then its rows. Safe to repeat at any point: teardown is idempotent, the rows go last.
 */
export async function destroyApp(ctx: CoreContext, appId: string): Promise<DestroyAppResult> {
  const app = await ctx.db.app.findUnique({ where: { id: appId }, include: { cloudAccount: true } });
  if (!app) return { type: 'skipped', reason: 'already deleted' };
  if (!app.deletingAt) return { type: 'skipped', reason: 'deletion was not requested' };
  const live = await ctx.db.deployment.count({ where: { appId, state: { in: [...LIVE_STATES] } } });
  if (live > 0) {
    await deliver(ctx.log, 'an app deletion', () =>
      ctx.queue.destroyApp(appId, { key: `${appId}.destroy.${ctx.now().getTime()}`, delayMs: 500 }),
    );
    return { type: 'waiting', retryInMs: 500, reason: `${live} deployment(s) still unwinding` };
  }
  const cloud = ctx.clouds.forAccount(app.cloudAccount);
  const appRef = { id: app.id, name: app.name, teamId: app.teamId };
  // Custom domains' certificates live in the account, outside what teardown finds by the app's resources.
  const domains = await ctx.db.domain.findMany({ where: { appId }, include: { certificate: true } });
  for (const ref of domains.map((d) => d.certificate?.providerRef).filter((r): r is string => Boolean(r))) {
    await cloud.detachCertificate(appRef, ref);
    await cloud.deleteCertificate(ref);
  }
  await cloud.teardownApp(appRef);
  // Children first: releases and builds restrict each other's deletion.
  await ctx.db.$transaction(async (tx) => {
    const certificateIds = domains.map((d) => d.certificateId).filter((id): id is string => id !== null);
    await tx.domain.deleteMany({ where: { appId } });
    await tx.certificate.deleteMany({ where: { id: { in: certificateIds } } });
    await tx.deployment.deleteMany({ where: { appId } });
    await tx.serverGroup.deleteMany({ where: { appId } });
    await tx.release.deleteMany({ where: { appId } });
    await tx.build.deleteMany({ where: { appId } });
    await tx.configVersion.deleteMany({ where: { appId } });
    await tx.app.delete({ where: { id: appId } });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor: { type: 'system' },
      action: 'app.destroyed',
      targetType: 'app',
      targetId: appId,
      appName: app.name,
      data: { name: app.name },
    });
  });
  ctx.log.info('app deleted', { app: app.name });
  return { type: 'destroyed' };
}

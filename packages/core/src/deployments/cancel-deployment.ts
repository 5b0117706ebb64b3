import { appTransaction } from '../apps/app-transaction';
import { findApp } from '../apps/find-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { AppError, notFound } from '../errors';
import { isPlatformId } from '../ids';
import { deliver } from '../queue-delivery';
import { deploymentSummary } from './deployment-summary';
import { deploymentJobKey } from './job-keys';
import { requestCancel } from './request-cancel';
import type { DeployDeps } from './request-deploy';
import { isTerminal } from './steps-machine';

/**
 * Asks the engine to stop a deployment: a build is killed, launched groups are
 * removed, and traffic that already moved goes back. 409 once it has finished.
 */
export async function cancelDeployment(deps: DeployDeps, appName: string, deploymentId: string, actor: Actor) {
  const deployment = await appTransaction(deps.db, async (tx) => {
    const app = await findApp(tx, appName);
    const d = isPlatformId(deploymentId) ? await tx.deployment.findFirst({ where: { id: deploymentId, appId: app.id } }) : null;
    if (!d) throw notFound('deployment', deploymentId);
    if (isTerminal(d.state)) throw new AppError('conflict', `deployment ${d.id} already ${d.state}; there is nothing to cancel`);
    if (d.cancelRequestedAt) return d;
    const by = actor.type === 'admin' ? 'the admin' : `${actor.type}${actor.id ? ` ${actor.id}` : ''}`;
    await requestCancel(tx, { id: d.id }, { code: 'canceled', message: `Cancelled by ${by}` });
    const updated = await tx.deployment.findUniqueOrThrow({ where: { id: d.id } });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'deployment.cancel',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { deployment: d.id, step: d.step },
    });
    return updated;
  });
  await deliver(deps.log, 'a cancel', () =>
    deps.queue.advanceDeployment(deployment.id, { key: deploymentJobKey.cancel(deployment.id, new Date()) }),
  );
  return deploymentSummary(deployment);
}

import { appTransaction } from '../apps/app-transaction';
import { findApp } from '../apps/find-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { AppError, notFound } from '../errors';
import { deliver } from '../queue-delivery';
import { deploymentSummary } from './deployment-summary';
import { deploymentJobKey } from './job-keys';
import type { DeployDeps } from './request-deploy';
import { isTerminal } from './steps-machine';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Asks the engine to stop a deployment: a build is killed, launched groups are
 * removed, and traffic that already moved goes back. 409 once it has finished.
 */
export async function cancelDeployment(deps: DeployDeps, appName: string, deploymentId: string, actor: Actor) {
  const deployment = await appTransaction(deps.db, async (tx) => {
    const app = await findApp(tx, appName);
    const d = UUID.test(deploymentId) ? await tx.deployment.findFirst({ where: { id: deploymentId, appId: app.id } }) : null;
    if (!d) throw notFound('deployment', deploymentId);
    if (isTerminal(d.state)) throw new AppError('conflict', `deployment ${d.id} already ${d.state}; there is nothing to cancel`);
    if (d.cancelRequestedAt) return d;
    const by = actor.type === 'admin' ? 'the admin' : `${actor.type}${actor.id ? ` ${actor.id}` : ''}`;
    const updated = await tx.deployment.update({
      where: { id: d.id },
      data: { cancelRequestedAt: new Date(), errorCode: 'canceled', error: `Cancelled by ${by}` },
    });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'deployment.cancel',
      targetType: 'app',
      targetId: app.id,
      data: { deployment: d.id, step: d.step },
    });
    return updated;
  });
  await deliver(deps.log, 'a cancel', () =>
    deps.queue.advanceDeployment(deployment.id, { key: deploymentJobKey.cancel(deployment.id, new Date()) }),
  );
  return deploymentSummary(deployment);
}

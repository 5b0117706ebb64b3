import type { CoreContext } from '../context';
import type { AppError } from '../errors';
import type { DeploymentKind, DeploymentStep } from './steps-machine';
import { trafficMoved } from './steps-machine';

/**
 * Ends a deployment as failed. Before the traffic switch nothing the users see
 * changed, so the server groups this deployment launched are removed and the
 * old release keeps serving. Cleanup is best effort: what it cannot remove now
 * stays recorded as `destroying` for the reconciler.
 */
export async function failDeployment(ctx: CoreContext, deploymentId: string, error: AppError): Promise<void> {
  const d = await ctx.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
  const stepData = d.stepData as { launch?: { serverGroups?: string[] } };
  const launched = stepData.launch?.serverGroups ?? [];

  if (!trafficMoved(d.kind as DeploymentKind, d.step as DeploymentStep) && d.kind === 'deploy' && launched.length > 0) {
    const groups = await ctx.db.serverGroup.findMany({ where: { name: { in: launched }, receivesTraffic: false } });
    for (const group of groups) {
      await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'destroying' } });
      try {
        if (group.providerRef) await ctx.cloud.destroyServerGroup(group.providerRef);
        await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'destroyed', desired: 0 } });
      } catch (cleanupError) {
        ctx.log.warn('could not remove server group of failed deployment', {
          group: group.name,
          error: cleanupError instanceof Error ? cleanupError.message : String(cleanupError),
        });
      }
    }
  }

  if (d.releaseId && d.kind === 'deploy') {
    await ctx.db.release.updateMany({ where: { id: d.releaseId, status: 'pending' }, data: { status: 'failed' } });
  }
  await ctx.db.deployment.update({
    where: { id: deploymentId },
    data: { state: 'failed', errorCode: error.code, error: error.message, finishedAt: ctx.now(), nextCheckAt: null },
  });
  ctx.log.warn('deployment failed', { deployment: deploymentId, step: d.step, code: error.code, error: error.message });
}

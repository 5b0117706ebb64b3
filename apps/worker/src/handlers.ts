import {
  advanceDeployment,
  advanceDomain,
  applyFormation,
  type CoreContext,
  destroyApp,
  relayPendingDeliveries,
  reportDeploymentToGithub,
  syncGithubInstallations,
  verifyCloudAccount,
} from '@paas/core';
import type { JobHandlers } from '@paas/jobs';

// Each handler only looks at Postgres and moves things one step; a job that
// fails for a reason retrying cannot fix is stopped at once (see the worker's
// isRetryable), the rest BullMQ retries, and the reconciler covers lost jobs.
export function createHandlers(ctx: CoreContext): JobHandlers {
  return {
    'deployment.advance': ({ deploymentId }) => advanceDeployment(ctx, deploymentId),
    'formation.apply': ({ appId, processType }) => applyFormation(ctx, appId, processType),
    'app.destroy': ({ appId }) => destroyApp(ctx, appId),
    'domain.advance': ({ domainId }) => advanceDomain(ctx, domainId),
    'cloudAccount.verify': ({ accountId }) => verifyCloudAccount(ctx, accountId),
    'webhook.relay': () => relayPendingDeliveries(ctx),
    'github.sync': () => syncGithubInstallations(ctx),
    'github.report': ({ deploymentId }) => reportDeploymentToGithub(ctx, deploymentId),
  };
}

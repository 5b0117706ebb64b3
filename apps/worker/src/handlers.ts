import { rm } from 'node:fs/promises';
import {
  advanceDeployment,
  advanceDomain,
  applyFormation,
  appRepositoryPath,
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
export function createHandlers(ctx: CoreContext, dataDir: string): JobHandlers {
  return {
    'deployment.advance': ({ deploymentId }) => advanceDeployment(ctx, deploymentId),
    'formation.apply': ({ appId, processType }) => applyFormation(ctx, appId, processType),
    'app.destroy': async ({ appId }) => {
      const result = await destroyApp(ctx, appId);
      // What was pushed to the app goes with it (the rows are gone: nothing refers to it).
      if (result.type === 'destroyed' || (result.type === 'skipped' && result.reason === 'already deleted')) {
        await rm(appRepositoryPath(dataDir, appId), { recursive: true, force: true });
      }
      return result;
    },
    'domain.advance': ({ domainId }) => advanceDomain(ctx, domainId),
    'cloudAccount.verify': ({ accountId }) => verifyCloudAccount(ctx, accountId),
    'webhook.relay': () => relayPendingDeliveries(ctx),
    'github.sync': () => syncGithubInstallations(ctx),
    'github.report': ({ deploymentId }) => reportDeploymentToGithub(ctx, deploymentId),
  };
}

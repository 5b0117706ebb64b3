import {
  AppError,
  advanceDeployment,
  applyFormation,
  type CoreContext,
  failDeployment,
  isAppError,
  reconcileDeployments,
  reconcileFormations,
} from '@paas/core';
import type { JobHandlers } from '@paas/jobs';

export function createHandlers(ctx: CoreContext): JobHandlers {
  return {
    'deployment.advance': async ({ deploymentId }, meta) => {
      try {
        return await advanceDeployment(ctx, deploymentId);
      } catch (error) {
        // Retryable faults get BullMQ's retries; after the last one the
        // deployment is failed explicitly rather than left running forever.
        if (meta.finalAttempt) {
          const reason = isAppError(error) ? error : new AppError('internal', String(error));
          await failDeployment(ctx, deploymentId, reason);
        }
        throw error;
      }
    },
    'formation.apply': ({ appId, processType }) => applyFormation(ctx, appId, processType),
    'platform.reconcile': async () => {
      const redelivered = await reconcileDeployments(ctx);
      const resized = await reconcileFormations(ctx);
      await ctx.cloud.reconcile();
      return { redelivered, resized };
    },
  };
}

import type { Prisma, Tx } from '@paas/db';

/**
 * Asks the engine to stop deployments (a user's cancel, a supersede, the app's
 * deletion). Only columns no runner writes while it works are touched (a
 * running step owns stepData); the engine unwinds at its next look. The first
 * reason given stands.
 */
export async function requestCancel(tx: Tx, where: Prisma.DeploymentWhereInput, reason: { code: string; message: string }) {
  return tx.deployment.updateMany({
    where: { ...where, cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date(), errorCode: reason.code, error: reason.message },
  });
}

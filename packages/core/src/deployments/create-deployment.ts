import type { Tx } from '@paas/db';
import { firstStep } from './steps-machine';

export interface NewDeployment {
  appId: string;
  commitSha: string;
  commitMessage?: string | null;
  trigger: 'github' | 'api' | 'dashboard';
  webhookDeliveryId?: string | null;
}

/** A build and the deployment that will carry it, recorded together. */
export async function createDeployment(tx: Tx, input: NewDeployment) {
  const build = await tx.build.create({
    data: { appId: input.appId, commitSha: input.commitSha, commitMessage: input.commitMessage ?? null },
  });
  return tx.deployment.create({
    data: {
      appId: input.appId,
      kind: 'deploy',
      step: firstStep('deploy'),
      commitSha: input.commitSha,
      buildId: build.id,
      trigger: input.trigger,
      webhookDeliveryId: input.webhookDeliveryId ?? null,
      nextCheckAt: new Date(),
    },
  });
}

import { buildDefinitionFor } from '@paas/buildpacks';
import type { Tx } from '@paas/db';
import { lockApp } from '../apps/lock-app';
import { firstStep } from './steps-machine';
import { supersedeOlder } from './supersede';

export interface NewDeploy {
  appId: string;
  /** What to deploy: a branch, tag or sha. */
  ref: string;
  /** Known when `ref` is a full sha (a push); else the builder resolves it. */
  commitSha: string | null;
  commitMessage?: string | null;
  /** A push's `before`, which orders late deliveries. */
  parentCommitSha?: string | null;
  trigger: 'github' | 'api' | 'dashboard' | 'git';
  webhookDeliveryId?: string | null;
  description: string;
}

/**
 * Records a deploy and the build it needs, in the caller's transaction. A
 * commit that is already built, or being built, for the app is not built again:
 * the deployment shares that build. Older deploys it makes pointless are
 * superseded. Returns the deployment and the ids to deliver to the engine.
 */
export async function createDeploy(tx: Tx, input: NewDeploy) {
  await lockApp(tx, input.appId);
  const { rootDir } = await tx.app.findUniqueOrThrow({ where: { id: input.appId }, select: { rootDir: true } });
  const definition = buildDefinitionFor(rootDir);
  const existing = input.commitSha
    ? await tx.build.findFirst({
        where: {
          appId: input.appId,
          commitSha: input.commitSha,
          definition,
          // A succeeded build whose image the provider has since deleted (imageRef cleared) is built again.
          OR: [{ status: { in: ['pending', 'building'] } }, { status: 'succeeded', imageRef: { not: null } }],
        },
        orderBy: { createdAt: 'desc' },
      })
    : null;
  const build =
    existing ??
    (await tx.build.create({
      data: {
        appId: input.appId,
        commitSha: input.commitSha,
        ref: input.ref,
        commitMessage: input.commitMessage ?? null,
        definition,
      },
    }));
  const deployment = await tx.deployment.create({
    data: {
      appId: input.appId,
      kind: 'deploy',
      step: firstStep('deploy'),
      ref: input.ref,
      commitSha: input.commitSha ?? build.commitSha,
      parentCommitSha: input.parentCommitSha ?? null,
      buildId: build.id,
      trigger: input.trigger,
      webhookDeliveryId: input.webhookDeliveryId ?? null,
      description: input.description,
      nextCheckAt: new Date(),
    },
  });
  const superseded = await supersedeOlder(tx, {
    id: deployment.id,
    appId: input.appId,
    kind: 'deploy',
    trigger: input.trigger,
    commitSha: deployment.commitSha,
  });
  return { deployment, deliver: [deployment.id, ...superseded.filter((id) => id !== deployment.id)] };
}

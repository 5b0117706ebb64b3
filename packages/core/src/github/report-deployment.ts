import type { CoreContext } from '../context';
import type { DeploymentState } from '../deployments/steps-machine';
import type { DeploymentReport } from '../ports/github';
import { connectedRepository } from './connected-repository';

const DEPLOYMENT_STATE: Record<DeploymentState, DeploymentReport['deploymentState']> = {
  queued: 'queued',
  running: 'in_progress',
  waiting: 'in_progress',
  succeeded: 'success',
  failed: 'failure',
  canceled: 'error',
};
const COMMIT_STATE: Record<DeploymentState, DeploymentReport['commitState']> = {
  queued: 'pending',
  running: 'pending',
  waiting: 'pending',
  succeeded: 'success',
  failed: 'failure',
  canceled: 'error',
};

/** Whether a deployment's state differs from what GitHub was last told (running and waiting are both "in progress"). */
export function githubReportDue(d: { state: DeploymentState; githubReportedState: string | null }): boolean {
  return DEPLOYMENT_STATE[d.state] !== d.githubReportedState;
}

/**
 * Tells GitHub where a deployment of a connected app stands: a GitHub
 * Deployment for its commit (made once) with a status (in progress, success
 * with the app's URL, failure with a link to its build log), and the commit's
 * status. Runs as a job of its own, so GitHub being slow or down never holds a
 * deploy back; it is state-based (reports what the deployment is now), so a
 * repeated or late job is harmless.
 */
export async function reportDeploymentToGithub(
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'github' | 'clouds' | 'links'>,
  deploymentId: string,
): Promise<{ reported: number; reason?: string }> {
  // The deployment may move on while GitHub is told: tell it again until it has the current state.
  let reported = 0;
  for (let round = 0; round < 5; round++) {
    const once = await reportOnce(ctx, deploymentId);
    if (!once.reported) return { reported, ...(reported === 0 ? { reason: once.reason } : {}) };
    reported++;
  }
  return { reported };
}

async function reportOnce(
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'github' | 'clouds' | 'links'>,
  deploymentId: string,
): Promise<{ reported: boolean; reason?: string }> {
  const d = await ctx.db.deployment.findUnique({
    where: { id: deploymentId },
    include: { app: { include: { cloudAccount: true } }, release: { select: { version: true } } },
  });
  if (!d || d.app.githubRepoId === null) return { reported: false, reason: 'not an app connected through the GitHub App' };
  if (!d.commitSha) return { reported: false, reason: 'no commit yet' };
  const state = d.state as DeploymentState;
  if (!githubReportDue({ state, githubReportedState: d.githubReportedState }))
    return { reported: false, reason: 'already reported' };
  const connected = await connectedRepository(ctx, d.app.githubRepoId);
  if (!connected) return { reported: false, reason: 'the GitHub App no longer reaches the repository' };

  const cloud = ctx.clouds.forAccount(d.app.cloudAccount);
  const host = cloud.defaultHostnames(d.app.name)[0];
  const short = d.commitSha.slice(0, 7);
  const description =
    state === 'succeeded'
      ? `Deployed ${short}${d.release ? ` as v${d.release.version}` : ''}`
      : state === 'failed' || state === 'canceled'
        ? (d.error ?? state).split('\n')[0]
        : `Deploying ${short}`;
  const { githubDeploymentId } = await ctx.github.reportDeployment(connected.key, {
    ...connected.target,
    commitSha: d.commitSha,
    githubDeploymentId: d.githubDeploymentId === null ? null : Number(d.githubDeploymentId),
    platformDeploymentId: d.id,
    environment: d.app.name,
    deploymentState: DEPLOYMENT_STATE[state],
    commitState: COMMIT_STATE[state],
    description: description as string,
    environmentUrl: state === 'succeeded' && host ? ctx.links.app(cloud.kind, host) : null,
    logUrl: ctx.links.deployment(d.app.name, d.id),
    context: `paas/${d.app.name}`,
  });
  // A review app's first success: its URL goes on the pull request, once.
  if (state === 'succeeded' && host && d.app.pullRequestNumber !== null && d.app.reviewCommentId === null) {
    const url = ctx.links.app(cloud.kind, host);
    const { commentId } = await ctx.github.commentOnPullRequest(connected.key, {
      ...connected.target,
      number: d.app.pullRequestNumber,
      body: `Review app **${d.app.name}** is live at ${url} (${short}). It follows this pull request's pushes and goes away when the pull request closes.`,
    });
    await ctx.db.app.updateMany({ where: { id: d.app.id }, data: { reviewCommentId: BigInt(commentId) } });
  }
  // updateMany: the app (and its deployments) may have been deleted while GitHub was told.
  await ctx.db.deployment.updateMany({
    where: { id: d.id },
    data: { githubDeploymentId: BigInt(githubDeploymentId), githubReportedState: DEPLOYMENT_STATE[state] },
  });
  return { reported: true };
}

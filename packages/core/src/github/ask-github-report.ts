import type { CoreContext } from '../context';
import type { DeploymentState } from '../deployments/steps-machine';
import { deliver } from '../queue-delivery';
import { githubReportDue } from './report-deployment';

/** Asks a worker to tell GitHub about a deployment of a connected app (nothing for other apps). */
export async function askGithubReport(
  ctx: Pick<CoreContext, 'queue' | 'log'>,
  d: { id: string; app: { githubRepoId: bigint | null } },
  state: DeploymentState,
): Promise<void> {
  if (d.app.githubRepoId === null) return;
  await deliver(ctx.log, `a GitHub report (${state})`, () => ctx.queue.reportToGithub(d.id, { key: githubReportKey(d.id) }));
}

/**
 * One key per deployment: the queue never runs two reports of one deployment
 * at once (their calls could reach GitHub out of order and leave an older
 * state last). An ask while one runs is dropped; the running one reports
 * again until GitHub has the deployment's current state.
 */
const githubReportKey = (deploymentId: string) => `${deploymentId}.github`;

/** Reports a lost job left undone: recent deployments of connected apps GitHub was not told the current state of. */
export async function reportOverdueToGithub(ctx: Pick<CoreContext, 'db' | 'queue' | 'log' | 'now'>): Promise<number> {
  const now = ctx.now().getTime();
  const recent = await ctx.db.deployment.findMany({
    where: {
      app: { githubRepoId: { not: null } },
      commitSha: { not: null },
      updatedAt: { gt: new Date(now - 24 * 60 * 60_000), lt: new Date(now - 10_000) },
    },
    select: { id: true, state: true, githubReportedState: true },
    orderBy: { updatedAt: 'desc' },
    take: 200,
  });
  const due = recent.filter((d) => githubReportDue(d as { state: DeploymentState; githubReportedState: string | null }));
  for (const d of due) {
    await deliver(ctx.log, 'a GitHub report', () => ctx.queue.reportToGithub(d.id, { key: githubReportKey(d.id) }));
  }
  return due.length;
}

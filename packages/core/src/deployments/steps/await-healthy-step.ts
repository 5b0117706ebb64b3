import { AppError } from '../../errors';
import { recordObservations } from '../../observe/observe-server-groups';
import { launchedGroupIds } from '../step-data';
import { done, waitFor } from '../steps-machine';
import type { StepHandler } from './step-context';

// Traffic moves only when every new instance passes its health check: the gate
// that keeps a broken release from ever receiving a request. A crashed
// instance fails the deploy at once with its last log lines instead of waiting
// out the timeout. What it sees is recorded, so the dashboard shows it live.
export const awaitHealthyStep: StepHandler = async (run) => {
  const { ctx, d } = run;
  const now = ctx.now();
  const startedAt = run.data.await_healthy?.startedAt ? new Date(run.data.await_healthy.startedAt) : (d.stepStartedAt ?? now);
  const groups = await ctx.db.serverGroup.findMany({ where: { id: { in: launchedGroupIds(run.data) } } });
  const refs = groups.map((g) => g.providerRef).filter((ref): ref is string => ref !== null);
  if (refs.length !== groups.length) throw new AppError('internal', 'a launched server group was never created');
  const infos = await run.cloud.describeServerGroups(refs);
  await recordObservations(ctx, groups, infos);

  const pending: string[] = [];
  for (const group of groups) {
    const info = infos.get(group.providerRef as string);
    if (!info) throw new AppError('health_check_failed', `the ${group.processType} server group disappeared`);
    const broken = info.instances.find((i) => i.health === 'unhealthy');
    if (broken) {
      throw new AppError(
        'health_check_failed',
        `${group.processType} instance ${broken.id} failed its health check${broken.detail ? `: ${broken.detail}` : ''}${await lastLines(run, refs)}`,
      );
    }
    const healthy = info.instances.filter((i) => i.health === 'healthy').length;
    if (healthy < group.desired) pending.push(`${group.processType} ${healthy}/${group.desired}`);
  }

  const timing = { startedAt: startedAt.toISOString() };
  if (pending.length === 0) return done({ await_healthy: timing });
  if (now.getTime() - startedAt.getTime() > ctx.timings.healthTimeoutMs) {
    throw new AppError(
      'health_check_timeout',
      `instances did not become healthy within ${Math.round(ctx.timings.healthTimeoutMs / 1000)} s (${pending.join(', ')} healthy)${await lastLines(run, refs)}`,
    );
  }
  return waitFor(ctx.timings.healthPollMs, `healthy: ${pending.join(', ')}`, { await_healthy: timing });
};

const LAST_LINES = 20;

/** The new instances' last output, so a release that cannot boot says why in its own words. */
async function lastLines(run: Parameters<StepHandler>[0], refs: string[]): Promise<string> {
  const logs = await run.cloud
    .readInstanceLogs({ app: { id: run.app.id, name: run.app.name }, serverGroupRefs: refs, cursor: null, tail: LAST_LINES })
    .catch(() => null);
  const text = logs?.text.trimEnd() ?? '';
  return text === '' ? '' : `\n\nThe instances' last output:\n${text}`;
}

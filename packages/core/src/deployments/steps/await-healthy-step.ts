import { AppError } from '../../errors';
import { done, waitFor } from '../steps-machine';
import type { StepHandler } from '.';
import { launchedGroupNames, stepStartedAt } from './step-data';

// Traffic moves only when every new instance answers: the gate that keeps a
// broken release from ever receiving a request. A crashed instance fails the
// deploy at once with its last log lines instead of waiting out the timeout.
export const awaitHealthyStep: StepHandler = async (ctx, d) => {
  const now = ctx.now();
  const startedAt = stepStartedAt(d, 'await_healthy', now);
  const groups = await ctx.db.serverGroup.findMany({ where: { name: { in: launchedGroupNames(d) } } });

  const pending: string[] = [];
  for (const group of groups) {
    if (!group.providerRef) throw new AppError('internal', `server group ${group.name} was never created`);
    const info = await ctx.cloud.describeServerGroup(group.providerRef);
    if (!info) throw new AppError('health_check_failed', `server group ${group.name} disappeared`);
    const broken = info.instances.find((i) => i.health === 'unhealthy' || i.health === 'stopped');
    if (broken) {
      throw new AppError(
        'health_check_failed',
        `${group.processType} instance ${broken.id} failed its health check${broken.detail ? `: ${broken.detail}` : ''}`,
      );
    }
    const healthy = info.instances.filter((i) => i.health === 'healthy').length;
    if (healthy < group.desired) pending.push(`${group.processType} ${healthy}/${group.desired}`);
  }

  const data = { startedAt: startedAt.toISOString() };
  if (pending.length === 0) return done(data);
  if (now.getTime() - startedAt.getTime() > ctx.timings.healthTimeoutMs) {
    throw new AppError(
      'health_check_timeout',
      `instances did not become healthy within ${Math.round(ctx.timings.healthTimeoutMs / 1000)} s (${pending.join(', ')} healthy)`,
    );
  }
  return waitFor(ctx.timings.healthPollMs, `healthy: ${pending.join(', ')}`, data);
};

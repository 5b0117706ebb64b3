import type { LocalContext } from '../context';
import type { AutoscalerMemory } from '../state/records';
import { readGroup, saveGroup } from '../supervisor/group-store';
import { forgetCpuSamples, measureLoad } from './measure-load';
import { decideScaling, type ScalingState } from './scaling-decision';

const toState = (memory: AutoscalerMemory | undefined): ScalingState => ({
  lastChangeAt: memory?.lastChangeAt ? Date.parse(memory.lastChangeAt) : null,
  lowSince: memory?.lowSince ? Date.parse(memory.lowSince) : null,
});

const toMemory = (state: ScalingState): AutoscalerMemory => ({
  lastChangeAt: state.lastChangeAt === null ? null : new Date(state.lastChangeAt).toISOString(),
  lowSince: state.lowSince === null ? null : new Date(state.lowSince).toISOString(),
});

/**
 * One evaluation of the group's policy, the part of an Auto Scaling Group
 * that moves its desired count: measure, decide, record. The caller holds
 * the group lock and converges the group afterwards, which starts or stops
 * the instances. Returns whether the desired count changed.
 */
export async function autoscaleGroup(ctx: LocalContext, ref: string, now = Date.now()): Promise<boolean> {
  const group = await readGroup(ctx, ref);
  if (group === null || group.destroyed || typeof group.capacity !== 'object') return false;
  const policy = group.scaling ?? null;
  if (policy?.metric !== 'cpu') forgetCpuSamples(ctx, ref);
  if (policy === null) return false;

  const measurement = await measureLoad(ctx, group, now);
  const before = group.capacity.desired;
  const decision = decideScaling({
    now,
    desired: before,
    bounds: { min: group.capacity.min, max: group.capacity.max },
    policy,
    measurement,
    state: toState(group.autoscaler),
    timings: ctx.autoscaling,
  });
  const memory = toMemory(decision.state);
  const changed = decision.desired !== before;
  if (!changed && JSON.stringify(memory) === JSON.stringify(group.autoscaler ?? toMemory(toState(undefined)))) return false;
  group.capacity.desired = decision.desired;
  group.autoscaler = memory;
  await saveGroup(ctx, group);
  if (changed) {
    ctx.log.info('server group autoscaled', {
      group: ref,
      app: group.app.name,
      processType: group.processType,
      from: before,
      to: decision.desired,
      reason: decision.reason,
    });
  }
  return changed;
}

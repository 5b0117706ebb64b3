import type { CoreContext } from '../context';
import { type LoadedDeployment, rolloutLine } from './deployment-store';

/**
 * Takes the app's rollout slot for `d` when it is first in line and the slot
 * is free (compare-and-set on the app row, so two workers cannot both take
 * it). Returns false when `d` must wait; it is woken when the slot is given back.
 */
export async function acquireRolloutSlot(ctx: CoreContext, d: LoadedDeployment): Promise<boolean> {
  if (d.app.rolloutDeploymentId === d.id) return true;
  const [first] = await rolloutLine(ctx.db, d.appId);
  if (first?.id !== d.id) return false;
  const taken = await ctx.db.app.updateMany({
    where: { id: d.appId, rolloutDeploymentId: null },
    data: { rolloutDeploymentId: d.id },
  });
  if (taken.count === 1) return true;
  const app = await ctx.db.app.findUniqueOrThrow({ where: { id: d.appId }, select: { rolloutDeploymentId: true } });
  return app.rolloutDeploymentId === d.id;
}

/** Waits for the slot without polling: a wake-up comes when it is given back; the re-check is a safety net. */
export async function parkDeployment(ctx: CoreContext, d: LoadedDeployment): Promise<void> {
  await ctx.db.deployment.updateMany({
    where: { id: d.id, attempts: d.attempts, state: { in: ['queued', 'waiting', 'running'] } },
    data: { state: 'queued', nextCheckAt: new Date(ctx.now().getTime() + ctx.timings.parkedRecheckMs) },
  });
}

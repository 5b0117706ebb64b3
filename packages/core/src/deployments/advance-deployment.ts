import type { CoreContext } from '../context';
import { AppError, isAppError } from '../errors';
import { failDeployment } from './fail-deployment';
import { runStep } from './steps';
import { type DeploymentKind, type DeploymentState, type DeploymentStep, isTerminal, nextStep } from './steps-machine';

export type AdvanceResult =
  | { type: 'finished'; state: DeploymentState }
  | { type: 'continued'; step: DeploymentStep }
  | { type: 'waiting'; step: DeploymentStep; retryInMs: number }
  | { type: 'skipped'; reason: string };

const QUEUE_BEHIND_POLL_MS = 1_000;
const STEP_LEASE_MS = 120_000;

/**
 * Runs the deployment's current step once and records the outcome. Called by the
 * `deployment.advance` job; every call is safe to repeat. Two runners racing on
 * one deployment are resolved by claiming it with a compare-and-set on
 * `attempts`: the loser does nothing.
 */
export async function advanceDeployment(ctx: CoreContext, deploymentId: string): Promise<AdvanceResult> {
  const d = await ctx.db.deployment.findUnique({ where: { id: deploymentId }, include: { app: true } });
  if (!d) return { type: 'skipped', reason: 'deployment not found' };
  if (isTerminal(d.state)) return { type: 'finished', state: d.state };

  // One deployment per app at a time, in the order they were created.
  if (d.state === 'queued') {
    const ahead = await ctx.db.deployment.findFirst({
      where: {
        appId: d.appId,
        id: { not: d.id },
        state: { in: ['running', 'waiting', 'queued'] },
        createdAt: { lt: d.createdAt },
      },
      select: { id: true },
    });
    if (ahead) {
      await ctx.db.deployment.update({
        where: { id: d.id },
        data: { nextCheckAt: new Date(ctx.now().getTime() + QUEUE_BEHIND_POLL_MS) },
      });
      await ctx.queue.advanceDeployment(d.id, { key: `${d.id}.queued.${ctx.now().getTime()}`, delayMs: QUEUE_BEHIND_POLL_MS });
      return { type: 'waiting', step: d.step as DeploymentStep, retryInMs: QUEUE_BEHIND_POLL_MS };
    }
  }

  const claimed = await ctx.db.deployment.updateMany({
    where: { id: d.id, attempts: d.attempts, state: { in: ['queued', 'running', 'waiting'] } },
    // The lease: until it passes, the reconciler leaves this deployment to us.
    data: {
      attempts: d.attempts + 1,
      state: 'running',
      startedAt: d.startedAt ?? ctx.now(),
      nextCheckAt: new Date(ctx.now().getTime() + STEP_LEASE_MS),
    },
  });
  if (claimed.count === 0) return { type: 'skipped', reason: 'another runner advanced this deployment' };
  const attempt = d.attempts + 1;
  const step = d.step as DeploymentStep;
  const kind = d.kind as DeploymentKind;

  let outcome: Awaited<ReturnType<typeof runStep>>;
  try {
    outcome = await runStep(ctx, { ...d, attempts: attempt, state: 'running' }, step);
  } catch (error) {
    if (isAppError(error) && error.retryable) throw error;
    const appError = isAppError(error)
      ? error
      : new AppError('internal', error instanceof Error ? error.message : String(error), { cause: error });
    await failDeployment(ctx, d.id, appError);
    return { type: 'finished', state: 'failed' };
  }

  const stepData = { ...(d.stepData as Record<string, unknown>), ...(outcome.data ? { [step]: outcome.data } : {}) };
  if (outcome.type === 'wait') {
    const saved = await ctx.db.deployment.updateMany({
      where: { id: d.id, attempts: attempt },
      data: { state: 'waiting', stepData: stepData as object, nextCheckAt: new Date(ctx.now().getTime() + outcome.retryInMs) },
    });
    if (saved.count === 1) {
      await ctx.queue.advanceDeployment(d.id, { key: `${d.id}.${step}.${attempt}`, delayMs: outcome.retryInMs });
    }
    return { type: 'waiting', step, retryInMs: outcome.retryInMs };
  }

  const next = nextStep(kind, step);
  if (next === null) {
    await ctx.db.deployment.updateMany({
      where: { id: d.id, attempts: attempt },
      data: { state: 'succeeded', stepData: stepData as object, finishedAt: ctx.now(), nextCheckAt: null },
    });
    ctx.log.info('deployment succeeded', { deployment: d.id, app: d.app.name });
    return { type: 'finished', state: 'succeeded' };
  }
  const saved = await ctx.db.deployment.updateMany({
    where: { id: d.id, attempts: attempt },
    data: { step: next, state: 'running', stepData: stepData as object, nextCheckAt: ctx.now() },
  });
  if (saved.count === 1) await ctx.queue.advanceDeployment(d.id, { key: `${d.id}.${next}` });
  return { type: 'continued', step: next };
}

import type { CoreContext } from '../context';
import { isAppError } from '../errors';
import { isRetryableError } from '../retryable';
import { isOlderCommit } from './commit-order';
import {
  claimDeployment,
  finishDeployment,
  type LoadedDeployment,
  LostClaimError,
  loadDeployment,
  moveToStep,
  saveStepData,
  saveWaiting,
} from './deployment-store';
import { acquireRolloutSlot, parkDeployment } from './rollout-slot';
import { parseStepData, type StepData } from './step-data';
import { runStep } from './steps';
import { stepRun } from './steps/step-context';
import { type DeploymentState, type DeploymentStep, isTerminal, needsRolloutSlot, nextStep } from './steps-machine';
import { unwindDeployment } from './unwind-deployment';

export type AdvanceResult =
  | { type: 'finished'; state: DeploymentState }
  | { type: 'continued'; step: DeploymentStep }
  | { type: 'waiting'; step: DeploymentStep; retryInMs: number }
  | { type: 'skipped'; reason: string };

/** Transient faults inside a step are retried with this backoff, within the step's deadline. */
const retryDelayMs = (retries: number) => Math.min(500 * 2 ** (retries - 1), 30_000);

/**
 * Looks at a deployment once and moves it as far as one step: called by the
 * `deployment.advance` job, safe to repeat, safe to race (see claimDeployment).
 * Errors that retrying cannot fix fail the deployment here; transient ones are
 * retried by the step itself, or thrown when not even that could be recorded.
 */
export async function advanceDeployment(ctx: CoreContext, deploymentId: string): Promise<AdvanceResult> {
  const d = await loadDeployment(ctx, deploymentId);
  if (!d) return { type: 'skipped', reason: 'deployment not found' };
  if (isTerminal(d.state)) return { type: 'finished', state: d.state };
  const step = d.step as DeploymentStep;
  let data = parseStepData(d.stepData);

  let reason = data.unwind ? null : unwindReason(ctx, d, step);
  if (!data.unwind && !reason && needsRolloutSlot(step) && !(await acquireRolloutSlot(ctx, d))) {
    await parkDeployment(ctx, d);
    return { type: 'waiting', step, retryInMs: ctx.timings.parkedRecheckMs };
  }

  const attempt = await claimDeployment(ctx, d);
  if (attempt === null) return { type: 'skipped', reason: 'another runner is advancing this deployment' };
  try {
    if (!data.unwind && !reason) reason = await staleReason(ctx, d, step);
    if (reason) data = await saveStepData(ctx.db, d.id, attempt, { unwind: { ...reason, startedAt: ctx.now().toISOString() } });
    if (data.unwind) {
      await unwindDeployment(ctx, d, data, attempt);
      return { type: 'finished', state: data.unwind.state };
    }
    return await runOneStep(ctx, d, data, attempt, step);
  } catch (error) {
    if (error instanceof LostClaimError) return { type: 'skipped', reason: error.message };
    if (!isRetryableError(error)) throw error;
    const retries = (data[step]?.retries ?? 0) + 1;
    const delay = retryDelayMs(retries);
    ctx.log.warn('deployment step hit a transient error; retrying', { deployment: d.id, step, retries, error: String(error) });
    await saveWaiting(ctx, d, attempt, step, delay, { [step]: { retries } } as StepData);
    return { type: 'waiting', step, retryInMs: delay };
  }
}

async function runOneStep(
  ctx: CoreContext,
  d: LoadedDeployment,
  data: StepData,
  attempt: number,
  step: DeploymentStep,
): Promise<AdvanceResult> {
  const run = stepRun(ctx, d, data, attempt);
  const startedAt = (d.stepStartedAt ?? ctx.now()).toISOString();
  let outcome: Awaited<ReturnType<typeof runStep>>;
  try {
    outcome = await runStep(run, step);
  } catch (error) {
    if (error instanceof LostClaimError || isRetryableError(error)) throw error;
    const failure = isAppError(error)
      ? { code: error.code, message: error.message }
      : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
    if (!isAppError(error)) ctx.log.error('deployment step crashed', { deployment: d.id, step, error: String(error) });
    const failed = await saveStepData(ctx.db, d.id, attempt, {
      unwind: { state: 'failed', ...failure, startedAt: ctx.now().toISOString() },
    });
    await unwindDeployment(ctx, d, failed, attempt);
    return { type: 'finished', state: 'failed' };
  }

  const timing = { startedAt, ...(outcome.type === 'wait' ? { note: outcome.note } : { finishedAt: ctx.now().toISOString() }) };
  const patch = { ...outcome.data, [step]: { ...timing, ...(outcome.data?.[step] as object | undefined) } } as StepData;
  if (outcome.type === 'wait') {
    await saveWaiting(ctx, d, attempt, step, outcome.retryInMs, patch);
    return { type: 'waiting', step, retryInMs: outcome.retryInMs };
  }
  const next = nextStep(d.kind, step);
  if (next === null) {
    await finishDeployment(ctx, d, attempt, { state: 'succeeded', patch });
    ctx.log.info('deployment succeeded', { deployment: d.id, app: d.app.name, kind: d.kind });
    return { type: 'finished', state: 'succeeded' };
  }
  await moveToStep(ctx, d, attempt, next, patch);
  return { type: 'continued', step: next };
}

type UnwindReason = { state: 'failed' | 'canceled'; code: string; message: string };

/** A cancel, a supersede, the app's deletion or a step past its deadline turns the deployment around. */
function unwindReason(ctx: CoreContext, d: LoadedDeployment, step: DeploymentStep): UnwindReason | null {
  if (d.cancelRequestedAt) return { state: 'canceled', code: d.errorCode ?? 'canceled', message: d.error ?? 'Cancelled' };
  if (d.app.deletingAt) return { state: 'canceled', code: 'canceled', message: 'The app is being deleted' };
  const limit = ctx.timings.stepDeadlineMs[step];
  if (d.stepStartedAt && ctx.now().getTime() - d.stepStartedAt.getTime() > limit) {
    const minutes = Math.max(1, Math.round(limit / 60_000));
    return step === 'build'
      ? { state: 'failed', code: 'build_timeout', message: `The build ran past its ${formatLimit(limit)} limit and was stopped` }
      : {
          state: 'failed',
          code: 'step_timeout',
          message: `The ${step.replace('_', ' ')} step did not finish within ${minutes} min`,
        };
  }
  return null;
}

/** A pushed commit the branch has already moved past is never rolled out over a newer one (it came late). */
async function staleReason(ctx: CoreContext, d: LoadedDeployment, step: DeploymentStep): Promise<UnwindReason | null> {
  if (step !== 'release' || d.kind !== 'deploy' || d.trigger !== 'github' || !d.commitSha || d.releaseId) return null;
  const serving = await ctx.db.release.findFirst({
    where: { appId: d.appId, status: 'active' },
    include: { build: { select: { commitSha: true } } },
  });
  const servingSha = serving?.build.commitSha;
  if (!servingSha) return null;
  if (!(await isOlderCommit(ctx.db, d.appId, d.commitSha, servingSha))) return null;
  return {
    state: 'canceled',
    code: 'superseded',
    message: `superseded: ${servingSha.slice(0, 7)}, newer on the branch, is already serving`,
  };
}

function formatLimit(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

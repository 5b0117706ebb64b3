import type { Prisma, Tx } from '@paas/db';
import type { CoreContext } from '../context';
import { askGithubReport } from '../github/ask-github-report';
import { deliver } from '../queue-delivery';
import { deploymentJobKey } from './job-keys';
import { parseStepData, type StepData } from './step-data';
import { type DeploymentState, type DeploymentStep, LIVE_STATES } from './steps-machine';

// The deployment row is the engine's only memory. Every write after the claim
// carries the attempt number it was claimed with: a runner that lost its claim
// (another took over after its lease ran out) can no longer write anything.

export const deploymentWithApp = { app: { include: { cloudAccount: true } } } as const satisfies Prisma.DeploymentInclude;
export type LoadedDeployment = Prisma.DeploymentGetPayload<{ include: typeof deploymentWithApp }>;

export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

export function loadDeployment(ctx: CoreContext, id: string) {
  return ctx.db.deployment.findUnique({ where: { id }, include: deploymentWithApp });
}

/**
 * Compare-and-set on `attempts`, and only when no other runner holds a live
 * lease: the winner runs the step, everybody else does nothing. Returns the
 * attempt number to write with, or null.
 */
export async function claimDeployment(ctx: CoreContext, d: LoadedDeployment): Promise<number | null> {
  const now = ctx.now();
  const claimed = await ctx.db.deployment.updateMany({
    where: {
      id: d.id,
      attempts: d.attempts,
      state: { in: [...LIVE_STATES] },
      OR: [{ state: { not: 'running' } }, { nextCheckAt: null }, { nextCheckAt: { lt: now } }],
    },
    data: {
      attempts: d.attempts + 1,
      state: 'running',
      startedAt: d.startedAt ?? now,
      stepStartedAt: d.stepStartedAt ?? now,
      nextCheckAt: new Date(now.getTime() + ctx.timings.stepLeaseMs),
    },
  });
  if (claimed.count !== 1) return null;
  if (d.state === 'queued') await askGithubReport(ctx, d, 'running');
  return d.attempts + 1;
}

/**
 * Writes under the claim: merges `patch` into the stepData as it is in the
 * database now (a step may have saved part of it since the deployment was
 * loaded), with `fields`, only if the attempt still matches.
 */
async function writeUnderClaim(
  db: Tx,
  id: string,
  attempt: number,
  patch: StepData,
  fields: Prisma.DeploymentUpdateManyMutationInput = {},
): Promise<StepData> {
  const row = await db.deployment.findUnique({ where: { id }, select: { stepData: true, attempts: true } });
  if (row === null || row.attempts !== attempt) throw new LostClaimError(`deployment ${id} was claimed by another runner`);
  const merged = mergeStepData(parseStepData(row.stepData), patch);
  const saved = await db.deployment.updateMany({
    where: { id, attempts: attempt },
    data: { ...fields, stepData: merged as object },
  });
  if (saved.count === 0) throw new LostClaimError(`deployment ${id} was claimed by another runner`);
  return merged;
}

/** Merges into stepData under the claim, before a cloud call that must not be repeated blindly. */
export function saveStepData(db: CoreContext['db'], id: string, attempt: number, patch: StepData): Promise<StepData> {
  return db.$transaction((tx) => writeUnderClaim(tx, id, attempt, patch));
}

export function mergeStepData(current: StepData, patch: StepData): StepData {
  const out: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const before = out[key];
    out[key] = before && typeof before === 'object' && value && typeof value === 'object' ? { ...before, ...value } : value;
  }
  return out as StepData;
}

/** A step that waits: the lease is given back and a delayed job looks again. */
export async function saveWaiting(
  ctx: CoreContext,
  d: LoadedDeployment,
  attempt: number,
  step: DeploymentStep,
  retryInMs: number,
  patch: StepData,
) {
  await ctx.db.$transaction((tx) =>
    writeUnderClaim(tx, d.id, attempt, patch, { state: 'waiting', nextCheckAt: new Date(ctx.now().getTime() + retryInMs) }),
  );
  await deliver(ctx.log, 'a deployment poll', () =>
    ctx.queue.advanceDeployment(d.id, { key: deploymentJobKey.poll(d.id, step, attempt), delayMs: retryInMs }),
  );
}

/** The step is done: the next one starts now. */
export async function moveToStep(ctx: CoreContext, d: LoadedDeployment, attempt: number, next: DeploymentStep, patch: StepData) {
  await ctx.db.$transaction((tx) =>
    writeUnderClaim(tx, d.id, attempt, patch, { step: next, state: 'running', stepStartedAt: null, nextCheckAt: ctx.now() }),
  );
  await deliver(ctx.log, 'the next deployment step', () =>
    ctx.queue.advanceDeployment(d.id, { key: deploymentJobKey.next(d.id, next) }),
  );
}

/**
 * Ends the deployment and gives back the app's rollout slot in the same
 * transaction, then wakes the next deployment of the app waiting for it
 * (deployments in line never poll for their turn).
 */
export async function finishDeployment(
  ctx: CoreContext,
  d: LoadedDeployment,
  attempt: number,
  outcome: {
    state: Extract<DeploymentState, 'succeeded' | 'failed' | 'canceled'>;
    errorCode?: string;
    error?: string;
    patch?: StepData;
  },
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await writeUnderClaim(tx, d.id, attempt, outcome.patch ?? {}, {
      state: outcome.state,
      errorCode: outcome.errorCode ?? null,
      error: outcome.error ?? null,
      finishedAt: ctx.now(),
      nextCheckAt: null,
    });
    await tx.app.updateMany({ where: { id: d.appId, rolloutDeploymentId: d.id }, data: { rolloutDeploymentId: null } });
  });
  await askGithubReport(ctx, d, outcome.state);
  await wakeNextInLine(ctx, d.appId);
}

/** Deployments of an app waiting for (or holding) its rollout slot, first in line first. */
export async function rolloutLine(db: CoreContext['db'], appId: string) {
  const line = await db.deployment.findMany({
    where: { appId, state: { in: [...LIVE_STATES] }, step: { not: 'build' } },
    select: { id: true, kind: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  // Rollbacks preempt the line (a rollback is how people stop a bad release).
  return [...line.filter((x) => x.kind === 'rollback'), ...line.filter((x) => x.kind !== 'rollback')];
}

export async function wakeNextInLine(ctx: CoreContext, appId: string): Promise<void> {
  const [next] = await rolloutLine(ctx.db, appId);
  if (next === undefined) return;
  await deliver(ctx.log, 'the next deployment in line', () =>
    ctx.queue.advanceDeployment(next.id, { key: deploymentJobKey.wake(next.id, ctx.now()) }),
  );
}

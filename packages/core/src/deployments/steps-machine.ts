// A deployment is an explicit state machine. Each step is idempotent and its
// results are saved before the next begins, so a job retried after a worker
// crash resumes at the step it was in instead of redoing finished cloud work.
//
//   deploy:            build ─▶ release ─▶ launch ─▶ await_healthy ─▶ route ─▶ retire ─▶ succeeded
//   config, resize:             release ─▶ launch ─▶ await_healthy ─▶ route ─▶ retire
//   rollback:                   release ─▶ launch ─▶ await_healthy ─▶ route ─▶ retire
//                                 │          │             │            │
//   any failure or cancel ────────┴──────────┴─────────────┴────────────┴─▶ unwind ─▶ failed | canceled
//     (traffic goes back to the group that served before; groups this deployment
//      created are removed; a group that serves is never destroyed)
//
// `build` runs beside other deployments of the app. From `release` on, a
// deployment holds the app's rollout slot: one at a time per app, rollbacks
// first, then in the order they were asked for.

export const DEPLOY_STEPS = ['build', 'release', 'launch', 'await_healthy', 'route', 'retire'] as const;
export const RELEASE_STEPS = ['release', 'launch', 'await_healthy', 'route', 'retire'] as const;

export type DeploymentStep = (typeof DEPLOY_STEPS)[number];
export type DeploymentKind = 'deploy' | 'rollback' | 'config' | 'resize';
export type DeploymentState = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';

export const TERMINAL_STATES: readonly DeploymentState[] = ['succeeded', 'failed', 'canceled'];
export const LIVE_STATES = ['queued', 'running', 'waiting'] as const satisfies readonly DeploymentState[];

/** Still in progress (queued, running or waiting); takes any state string, as the API shows it. */
export function isLive(state: string): boolean {
  return (LIVE_STATES as readonly string[]).includes(state);
}

export function isTerminal(state: DeploymentState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function stepsFor(kind: DeploymentKind): readonly DeploymentStep[] {
  return kind === 'deploy' ? DEPLOY_STEPS : RELEASE_STEPS;
}

export function firstStep(kind: DeploymentKind): DeploymentStep {
  return stepsFor(kind)[0] as DeploymentStep;
}

/** The step after `step`, or null when the deployment is complete. */
export function nextStep(kind: DeploymentKind, step: DeploymentStep): DeploymentStep | null {
  const steps = stepsFor(kind);
  const i = steps.indexOf(step);
  if (i === -1) throw new Error(`step ${step} is not part of a ${kind}`);
  return steps[i + 1] ?? null;
}

/** Steps that change what runs, so they need the app's rollout slot. */
export function needsRolloutSlot(step: DeploymentStep): boolean {
  return step !== 'build';
}

/** What a step handler tells the engine. */
export type StepOutcome =
  | { type: 'done'; data?: Record<string, unknown> }
  | { type: 'wait'; retryInMs: number; data?: Record<string, unknown>; note?: string };

export const done = (data?: Record<string, unknown>): StepOutcome => (data ? { type: 'done', data } : { type: 'done' });
export const waitFor = (retryInMs: number, note?: string, data?: Record<string, unknown>): StepOutcome => ({
  type: 'wait',
  retryInMs,
  ...(note ? { note } : {}),
  ...(data ? { data } : {}),
});

// A deployment is an explicit state machine. Each step is idempotent and its
// results are saved before the next begins, so a job retried after a worker
// crash resumes at the step it was in instead of redoing finished cloud work.
//
//   build ──▶ release ──▶ launch ──▶ await_healthy ──▶ route ──▶ retire ──▶ (done)
//     │          │          │              │
//     └──────────┴──────────┴──────────────┴──▶ failed (new server groups removed,
//                                                  traffic never left the old release)
//
// A rollback skips `build` and `release`: it re-launches an earlier release's
// template, gated on health exactly like a deploy.

export const DEPLOY_STEPS = ['build', 'release', 'launch', 'await_healthy', 'route', 'retire'] as const;
export const ROLLBACK_STEPS = ['launch', 'await_healthy', 'route', 'retire'] as const;

export type DeploymentStep = (typeof DEPLOY_STEPS)[number];
export type DeploymentKind = 'deploy' | 'rollback' | 'config';

export type DeploymentState = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';

export const TERMINAL_STATES: readonly DeploymentState[] = ['succeeded', 'failed', 'canceled'];

export function isTerminal(state: DeploymentState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function stepsFor(kind: DeploymentKind): readonly DeploymentStep[] {
  return kind === 'deploy' ? DEPLOY_STEPS : ROLLBACK_STEPS;
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

/** Up to `route` a failure leaves the old release serving; after it there is nothing to undo. */
export function trafficMoved(kind: DeploymentKind, step: DeploymentStep): boolean {
  const steps = stepsFor(kind);
  return steps.indexOf(step) > steps.indexOf('route');
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

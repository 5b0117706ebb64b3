import type { DeploymentStep } from './steps-machine';

/** How the engine paces a deployment; the poll intervals come from the provider, the limits from the operator. */
export interface EngineTimings {
  buildPollMs: number;
  healthPollMs: number;
  /** How long new instances may take to pass their health checks. */
  healthTimeoutMs: number;
  /** Longest time a step may take before the deployment fails (a build past its limit is cancelled). */
  stepDeadlineMs: Record<DeploymentStep, number>;
  /** A deployment waiting for its app's rollout slot looks again after this, in case a wake-up was lost. */
  parkedRecheckMs: number;
  /** How long a claimed step may run before another worker may take it over (its worker died mid-step). */
  stepLeaseMs: number;
  /** How long a disabled (warm) group is kept for an instant rollback; null keeps the last one for good. */
  warmRetentionMs: number | null;
  /** How often a custom domain's certificate is looked at while it validates (less often after an hour). */
  domainPollMs: number;
  /** How long a received webhook delivery is kept. */
  webhookRetentionMs: number;
  /** How often an app's traffic metrics are copied from the cloud into Postgres. */
  metricsEveryMs: number;
}

export function engineTimings(options: {
  buildPollMs: number;
  healthPollMs: number;
  healthTimeoutMs: number;
  buildTimeoutMs: number;
  stepLeaseMs?: number;
  warmRetentionMs?: number | null;
  domainPollMs?: number;
  webhookRetentionMs?: number;
  metricsEveryMs?: number;
}): EngineTimings {
  // Steps other than build and health wait only on quick cloud calls; their
  // limit catches a cloud that keeps failing, not slowness.
  const cloudCalls = 10 * 60_000;
  return {
    buildPollMs: options.buildPollMs,
    healthPollMs: options.healthPollMs,
    healthTimeoutMs: options.healthTimeoutMs,
    stepDeadlineMs: {
      build: options.buildTimeoutMs,
      release: cloudCalls,
      launch: cloudCalls,
      // The health timeout fails the step with its own message first.
      await_healthy: options.healthTimeoutMs + cloudCalls,
      route: cloudCalls,
      retire: cloudCalls,
    },
    parkedRecheckMs: 60_000,
    stepLeaseMs: options.stepLeaseMs ?? 60_000,
    warmRetentionMs: options.warmRetentionMs ?? null,
    domainPollMs: options.domainPollMs ?? 30_000,
    webhookRetentionMs: options.webhookRetentionMs ?? 30 * 24 * 60 * 60_000,
    metricsEveryMs: options.metricsEveryMs ?? 30_000,
  };
}

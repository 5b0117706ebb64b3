import type { Deployment } from '@paas/db';

/** How the API shows a deployment in lists and in answers to a request. */
export function deploymentSummary(d: Deployment) {
  return {
    id: d.id,
    kind: d.kind,
    state: d.state,
    step: d.step,
    description: d.description,
    ref: d.ref,
    commitSha: d.commitSha,
    trigger: d.trigger,
    cancelRequested: d.cancelRequestedAt !== null,
    errorCode: d.errorCode,
    error: d.state === 'succeeded' ? null : d.state === 'failed' || d.state === 'canceled' ? d.error : null,
    createdAt: d.createdAt.toISOString(),
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
  };
}

export type DeploymentSummary = ReturnType<typeof deploymentSummary>;

import { AppError } from '../../errors';
import type { DeploymentWithApp } from '.';

/** Server group names the launch step recorded for this deployment. */
export function launchedGroupNames(d: DeploymentWithApp): string[] {
  const data = d.stepData as { launch?: { serverGroups?: string[] } };
  const names = data.launch?.serverGroups;
  if (!names) throw new AppError('internal', 'the launch step recorded no server groups');
  return names;
}

/** When the current step first ran, kept across polls so timeouts span restarts. */
export function stepStartedAt(d: DeploymentWithApp, step: string, now: Date): Date {
  const data = d.stepData as Record<string, { startedAt?: string } | undefined>;
  const at = data[step]?.startedAt;
  return at ? new Date(at) : now;
}

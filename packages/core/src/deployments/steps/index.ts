import type { DeploymentStep, StepOutcome } from '../steps-machine';
import { awaitHealthyStep } from './await-healthy-step';
import { buildStep } from './build-step';
import { launchStep } from './launch-step';
import { releaseStep } from './release-step';
import { retireStep } from './retire-step';
import { routeStep } from './route-step';
import type { StepHandler, StepRun } from './step-context';

const handlers: Record<DeploymentStep, StepHandler> = {
  build: buildStep,
  release: releaseStep,
  launch: launchStep,
  await_healthy: awaitHealthyStep,
  route: routeStep,
  retire: retireStep,
};

export function runStep(run: StepRun, step: DeploymentStep): Promise<StepOutcome> {
  return handlers[step](run);
}

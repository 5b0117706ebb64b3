import type { App, Deployment } from '@paas/db';
import type { CoreContext } from '../../context';
import type { DeploymentStep, StepOutcome } from '../steps-machine';
import { awaitHealthyStep } from './await-healthy-step';
import { buildStep } from './build-step';
import { launchStep } from './launch-step';
import { releaseStep } from './release-step';
import { retireStep } from './retire-step';
import { routeStep } from './route-step';

export type DeploymentWithApp = Deployment & { app: App };
export type StepHandler = (ctx: CoreContext, d: DeploymentWithApp) => Promise<StepOutcome>;

const handlers: Record<DeploymentStep, StepHandler> = {
  build: buildStep,
  release: releaseStep,
  launch: launchStep,
  await_healthy: awaitHealthyStep,
  route: routeStep,
  retire: retireStep,
};

export function runStep(ctx: CoreContext, d: DeploymentWithApp, step: DeploymentStep): Promise<StepOutcome> {
  return handlers[step](ctx, d);
}

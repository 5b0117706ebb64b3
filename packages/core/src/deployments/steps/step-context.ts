import type { CoreContext } from '../../context';
import type { AppRef, CloudProvider } from '../../ports/cloud-provider';
import type { LoadedDeployment } from '../deployment-store';
import { saveStepData } from '../deployment-store';
import type { StepData } from '../step-data';
import type { StepOutcome } from '../steps-machine';

/** What a step runs with: the claimed deployment, its saved data, and its app's cloud. */
export interface StepRun {
  ctx: CoreContext;
  d: LoadedDeployment;
  data: StepData;
  attempt: number;
  app: AppRef;
  cloud: CloudProvider;
  /** Saves part of stepData now, before a cloud call that must not be repeated blindly. */
  save(patch: StepData): Promise<void>;
}

export type StepHandler = (run: StepRun) => Promise<StepOutcome>;

export function stepRun(ctx: CoreContext, d: LoadedDeployment, data: StepData, attempt: number): StepRun {
  const run: StepRun = {
    ctx,
    d,
    data,
    attempt,
    app: { id: d.app.id, name: d.app.name, teamId: d.app.teamId },
    cloud: ctx.clouds.forAccount(d.app.cloudAccount),
    async save(patch) {
      run.data = await saveStepData(ctx.db, d.id, attempt, patch);
    },
  };
  return run;
}

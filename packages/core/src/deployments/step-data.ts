import { z } from 'zod';
import type { DeploymentStep } from './steps-machine';

// What each step saved, in one typed record (the `stepData` column). Every step
// keeps its own timings; the rest is what a resumed step needs to not redo
// cloud work, and what an unwind needs to undo exactly this deployment's changes.

const timing = {
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  /** The last thing a waiting step reported ("web 1/2 healthy"). */
  note: z.string().optional(),
  /** Transient errors retried in this step so far. */
  retries: z.number().int().optional(),
};

export const stepDataSchema = z.object({
  build: z.object({ ...timing, reused: z.boolean().optional() }).optional(),
  release: z.object({ ...timing, releaseId: z.uuid().optional(), version: z.number().int().optional() }).optional(),
  launch: z
    .object({
      ...timing,
      /** Groups made for this deployment (removed by an unwind). */
      created: z.array(z.uuid()).optional(),
      /** Kept groups brought back by a rollback (disabled again by an unwind). */
      reused: z.array(z.uuid()).optional(),
    })
    .optional(),
  await_healthy: z.object(timing).optional(),
  route: z
    .object({
      ...timing,
      /** Recorded before the switch is made: where traffic was, where it goes. */
      from: z.uuid().nullable().optional(),
      to: z.uuid().nullable().optional(),
      /** The release that was active before the switch. */
      fromRelease: z.uuid().nullable().optional(),
      phase: z.enum(['switching', 'switched']).optional(),
    })
    .optional(),
  retire: z.object({ ...timing, destroyed: z.number().int().optional() }).optional(),
  /** Set when the deployment fails or is cancelled; the engine unwinds until done. */
  unwind: z
    .object({
      state: z.enum(['failed', 'canceled']),
      code: z.string(),
      message: z.string(),
      startedAt: z.iso.datetime(),
    })
    .optional(),
});

export type StepData = z.infer<typeof stepDataSchema>;

/** Parses the column; a record written by an older version loses only what it cannot read. */
export function parseStepData(value: unknown): StepData {
  const parsed = stepDataSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

export function launchedGroupIds(data: StepData): string[] {
  return [...(data.launch?.created ?? []), ...(data.launch?.reused ?? [])];
}

export type StepRecord<S extends DeploymentStep> = NonNullable<StepData[S]>;

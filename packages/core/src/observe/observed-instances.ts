import { z } from 'zod';
import type { ServerGroupInfo } from '../ports/cloud-provider';

// What the worker last saw of a server group's instances, as stored in
// ServerGroup.observedInstances: the dashboard and API read this, never the cloud.

export const observedInstanceSchema = z.object({
  id: z.string(),
  health: z.enum(['starting', 'healthy', 'unhealthy', 'stopped']),
  detail: z.string().optional(),
});

export type ObservedInstance = z.infer<typeof observedInstanceSchema>;

export function parseObservedInstances(value: unknown): ObservedInstance[] {
  const parsed = z.array(observedInstanceSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The observation of one group, ready to store. Details are cut short: they are for people. */
export function observation(info: ServerGroupInfo | null) {
  const instances: ObservedInstance[] = (info?.instances ?? [])
    .filter((i) => i.health !== 'stopped')
    .map((i) => ({ id: i.id, health: i.health, ...(i.detail ? { detail: i.detail.slice(0, 2_000) } : {}) }));
  return {
    observedHealthy: instances.filter((i) => i.health === 'healthy').length,
    observedStarting: instances.filter((i) => i.health === 'starting').length,
    observedFailed: instances.filter((i) => i.health === 'unhealthy').length,
    observedInstances: instances,
    // What the cloud wants running: an autoscaler's latest choice shows here first.
    observedDesired: info ? info.capacity.desired : null,
  };
}

import type { LocalContext } from '../context';
import { establishedConnections } from '../process/established-connections';
import type { GroupRecord, InstanceRecord } from '../state/records';

/**
 * How long the router may take to see that an instance left its rotation: it
 * re-reads the group files when they change, and every second anyway.
 */
export const ROUTER_SETTLE_MS = 1_500;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Marks instances as leaving: from the next router read on, they get no new requests. */
export function markStopping(instances: InstanceRecord[], now = new Date()): void {
  for (const instance of instances) {
    if (instance.stopping) continue;
    instance.stopping = true;
    instance.stoppingSince = now.toISOString();
  }
}

/**
 * Waits until instances that left the rotation have no connection open any
 * more, as an ALB target drains before it is deregistered: the router has
 * stopped sending them requests, the ones in flight (long ones and WebSockets
 * too) finish, and the router closes its idle keep-alive connections to them.
 * Bounded by the drain timeout; the caller then stops them (SIGTERM, grace,
 * SIGKILL) whatever is still open. Workers (no health check) are not behind
 * the router: SIGTERM is their drain.
 */
export async function drainInstances(ctx: LocalContext, group: GroupRecord, instances: InstanceRecord[]): Promise<void> {
  if (group.healthCheck === null) return;
  const serving = instances.filter((instance) => instance.pid !== null && instance.deadSince === undefined);
  if (serving.length === 0) return;

  const now = Date.now();
  const since = Math.min(...serving.map((instance) => Date.parse(instance.stoppingSince ?? new Date(now).toISOString())));
  // A group disabled a while ago has been out of the rotation since then.
  const disabledAt = !group.enabled && group.disabledAt ? Date.parse(group.disabledAt) : Number.POSITIVE_INFINITY;
  const settled = Math.min(since, disabledAt) + ROUTER_SETTLE_MS;
  if (settled > now) await sleep(settled - now);

  const deadline = since + ctx.drainTimeoutMs;
  let open = await openConnections(serving);
  while (open > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    open = await openConnections(serving);
  }
  if (open > 0) {
    ctx.log.warn('drain timed out; stopping instances with connections still open', {
      group: group.ref,
      instances: serving.map((instance) => instance.id),
      connections: open,
      drainTimeoutMs: ctx.drainTimeoutMs,
    });
  }
}

async function openConnections(instances: InstanceRecord[]): Promise<number> {
  const counts = await Promise.all(instances.map((instance) => establishedConnections(instance.port)));
  return counts.reduce((sum, count) => sum + count, 0);
}

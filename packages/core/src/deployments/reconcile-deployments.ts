import type { CoreContext } from '../context';
import { deliver } from '../queue-delivery';
import { deploymentJobKey } from './job-keys';
import { LIVE_STATES } from './steps-machine';

// The queue only delivers; Postgres knows what should be happening. Anything
// overdue (a job lost to a Redis restart, an enqueue that failed after commit,
// a worker killed mid-step whose lease ran out) is delivered again. Keys
// include the attempt counter, so a job that is merely late is not doubled.
const GRACE_MS = 5_000;

export async function reconcileDeployments(ctx: CoreContext): Promise<number> {
  const overdue = await ctx.db.deployment.findMany({
    where: {
      state: { in: [...LIVE_STATES] },
      OR: [{ nextCheckAt: null }, { nextCheckAt: { lt: new Date(ctx.now().getTime() - GRACE_MS) } }],
    },
    select: { id: true, attempts: true, step: true },
    orderBy: { nextCheckAt: 'asc' },
    take: 500,
  });
  for (const d of overdue) {
    await deliver(ctx.log, 'an overdue deployment', () =>
      ctx.queue.advanceDeployment(d.id, { key: deploymentJobKey.redeliver(d.id, d.step, d.attempts) }),
    );
  }
  const deleting = await ctx.db.app.findMany({ where: { deletingAt: { not: null } }, select: { id: true } });
  for (const app of deleting) {
    await deliver(ctx.log, 'an app deletion', () => ctx.queue.destroyApp(app.id, { key: `${app.id}.destroy` }));
  }
  return overdue.length;
}

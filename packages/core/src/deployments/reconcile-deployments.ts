import type { CoreContext } from '../context';

// The queue only delivers; Postgres knows what should be happening. Anything
// overdue (a job lost to a Redis restart, an enqueue that failed after commit,
// a worker killed between saving and enqueueing) is delivered again. Keys
// include the attempt counter, so a job that is merely late is not doubled.
const GRACE_MS = 5_000;

export async function reconcileDeployments(ctx: CoreContext): Promise<number> {
  const overdue = await ctx.db.deployment.findMany({
    where: {
      state: { in: ['queued', 'running', 'waiting'] },
      OR: [{ nextCheckAt: null }, { nextCheckAt: { lt: new Date(ctx.now().getTime() - GRACE_MS) } }],
    },
    select: { id: true, attempts: true, step: true },
    take: 500,
  });
  for (const d of overdue) {
    await ctx.queue.advanceDeployment(d.id, { key: `${d.id}.reconcile.${d.step}.${d.attempts}` });
  }
  return overdue.length;
}

import type { CoreContext } from '../context';
import { deliver } from '../queue-delivery';

/** Delivers domain checks that are due again (a lost delayed job, a Redis restart). */
export async function reconcileDomains(ctx: CoreContext): Promise<number> {
  const due = await ctx.db.domain.findMany({
    where: { status: { in: ['pending', 'removing'] }, nextCheckAt: { lte: new Date(ctx.now().getTime() - 1_000) } },
    select: { id: true, nextCheckAt: true },
    take: 100,
  });
  for (const d of due) {
    await deliver(ctx.log, 'a domain check', () =>
      ctx.queue.advanceDomain(d.id, { key: `${d.id}.${d.nextCheckAt?.getTime() ?? 0}.again` }),
    );
  }
  return due.length;
}

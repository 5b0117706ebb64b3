import { Prisma } from '@paas/db';
import type { CoreContext } from '../context';
import type { TrafficMinute } from '../ports/cloud-provider';

const MINUTE = 60_000;
/** The cloud's numbers for a minute can still change after it (CloudWatch is a minute or two late): re-read these. */
const LATE_MINUTES = 3;
/** A first look, or one after an outage, goes this far back. */
const BACKFILL_MINUTES = 60;
/** Rows older than this are removed: the charts show at most a day, kept a week for a look back. */
const RETENTION_MS = 7 * 24 * 60 * MINUTE;

const floorMinute = (t: Date) => new Date(Math.floor(t.getTime() / MINUTE) * MINUTE);

/**
 * Copies each app's traffic metrics from its cloud into Postgres, at most
 * once per `metricsEveryMs` per app, so the dashboard's charts read Postgres
 * only. The minute being collected also gets the number of healthy instances
 * serving now: the chart's instance line is sampled here, not in the cloud.
 * Apps are claimed by moving `metricsThrough` with compare-and-set, so workers
 * running this at once never read the same app twice.
 */
export async function collectTrafficMetrics(ctx: CoreContext): Promise<number> {
  const now = ctx.now();
  const due = new Date(now.getTime() - ctx.timings.metricsEveryMs);
  const apps = await ctx.db.app.findMany({
    where: {
      deletingAt: null,
      OR: [{ metricsThrough: null }, { metricsThrough: { lte: due } }],
      serverGroups: { some: { status: { in: ['active', 'disabled'] }, providerRef: { not: null } } },
    },
    select: { id: true, name: true, teamId: true, metricsThrough: true, cloudAccount: true },
    orderBy: { metricsThrough: { sort: 'asc', nulls: 'first' } },
    take: 200,
  });
  let collected = 0;
  for (const app of apps) {
    if ((await moveCursor(ctx, app.id, app.metricsThrough, now)) === 0) continue;
    try {
      await collectApp(ctx, app, now);
      collected++;
    } catch (error) {
      // Metrics are for people: a cloud that fails here is retried on the next pass, nothing else waits on it.
      await moveCursor(ctx, app.id, now, app.metricsThrough);
      ctx.log.warn('traffic metrics not collected', { app: app.name, error: String(error) });
    }
  }
  if (apps.length > 0) await ctx.db.appMetric.deleteMany({ where: { minute: { lt: new Date(now.getTime() - RETENTION_MS) } } });
  return collected;
}

async function collectApp(
  ctx: CoreContext,
  app: {
    id: string;
    name: string;
    teamId: string;
    metricsThrough: Date | null;
    cloudAccount: Parameters<CoreContext['clouds']['forAccount']>[0];
  },
  now: Date,
) {
  const current = floorMinute(now);
  const earliest = new Date(current.getTime() - BACKFILL_MINUTES * MINUTE);
  const resume = app.metricsThrough ? new Date(floorMinute(app.metricsThrough).getTime() - LATE_MINUTES * MINUTE) : earliest;
  const from = resume < earliest ? earliest : resume;
  const to = new Date(current.getTime() + MINUTE);
  const groups = await ctx.db.serverGroup.findMany({
    where: {
      appId: app.id,
      providerRef: { not: null },
      // Groups that may have served in the window: live ones, and ones retired inside it.
      OR: [{ status: { in: ['active', 'disabled', 'creating'] } }, { updatedAt: { gte: from } }],
    },
    select: { providerRef: true, processType: true, status: true, observedHealthy: true },
  });
  const minutes: TrafficMinute[] = await ctx.clouds.forAccount(app.cloudAccount).readTrafficMetrics({
    app: { id: app.id, name: app.name, teamId: app.teamId },
    serverGroupRefs: groups.map((g) => g.providerRef as string),
    from,
    to,
  });
  const instances = groups
    .filter((g) => g.status === 'active' && g.processType === 'web')
    .reduce((n, g) => n + g.observedHealthy, 0);
  const rows = new Map(minutes.map((m) => [m.minute.getTime(), m]));
  // The current minute always gets a row: it carries the instance count even with no requests.
  if (!rows.has(current.getTime())) {
    rows.set(current.getTime(), { minute: current, requests: 0, errors5xx: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  }
  // One statement per app: a pass over a thousand apps stays a thousand statements.
  const values = [...rows.values()].map((m) => {
    const count = m.minute.getTime() === current.getTime() ? instances : null;
    return Prisma.sql`(${app.id}::uuid, ${m.minute}, ${m.requests}, ${m.errors5xx}, ${m.p50Ms}, ${m.p95Ms}, ${m.p99Ms}, ${count}::int)`;
  });
  await ctx.db.$executeRaw`
    INSERT INTO "AppMetric" ("appId", "minute", "requests", "errors5xx", "p50Ms", "p95Ms", "p99Ms", "instances")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("appId", "minute") DO UPDATE SET
      "requests" = EXCLUDED."requests", "errors5xx" = EXCLUDED."errors5xx",
      "p50Ms" = EXCLUDED."p50Ms", "p95Ms" = EXCLUDED."p95Ms", "p99Ms" = EXCLUDED."p99Ms",
      "instances" = COALESCE(EXCLUDED."instances", "AppMetric"."instances")`;
}

/**
 * Compare-and-set of the app's metrics cursor, in SQL: Prisma's update would
 * also bump App.updatedAt, which the dashboard's live pages watch, and the
 * pages would re-render on every collection.
 */
function moveCursor(ctx: CoreContext, appId: string, from: Date | null, to: Date | null): Promise<number> {
  return ctx.db.$executeRaw`
    UPDATE "App" SET "metricsThrough" = ${to}::timestamp
    WHERE "id" = ${appId}::uuid AND "metricsThrough" IS NOT DISTINCT FROM ${from}::timestamp`;
}

import type { Db } from '@paas/db';

// What the dashboard's live pages watch: a stamp that changes whenever
// anything their page shows changes (one cheap query, no cloud call). The page
// re-renders only when it does, instead of on a timer.

/** The app page's stamp; null once the app is gone. */
export async function appChangeStamp(db: Db, appId: string): Promise<string | null> {
  const [row] = await db.$queryRaw<{ stamp: string | null }[]>`
    SELECT CASE WHEN a."id" IS NULL THEN NULL ELSE concat_ws('|',
      a."updatedAt",
      (SELECT max("updatedAt") FROM "Deployment" WHERE "appId" = a."id"),
      (SELECT max("updatedAt") FROM "ServerGroup" WHERE "appId" = a."id"),
      (SELECT max("updatedAt") FROM "ProcessType" WHERE "appId" = a."id"),
      (SELECT concat(count(*), max("updatedAt")) FROM "ConfigVar" WHERE "appId" = a."id"),
      (SELECT string_agg(d."hostname" || ':' || d."status" || ':' || coalesce(c."status"::text, ''), ',' ORDER BY d."hostname")
         FROM "Domain" d LEFT JOIN "Certificate" c ON c."id" = d."certificateId" WHERE d."appId" = a."id"),
      (SELECT max("createdAt") FROM "WebhookDeliveryApp" WHERE "appId" = a."id")
    ) END AS "stamp"
    FROM (SELECT ${appId}::uuid AS "wanted") w LEFT JOIN "App" a ON a."id" = w."wanted"`;
  return row?.stamp ?? null;
}

/** The apps page's stamp for a team. */
export async function teamChangeStamp(db: Db, teamId: string): Promise<string> {
  const [row] = await db.$queryRaw<{ stamp: string }[]>`
    SELECT concat_ws('|',
      (SELECT concat(count(*), max("updatedAt")) FROM "App" WHERE "teamId" = ${teamId}::uuid),
      (SELECT max(d."updatedAt") FROM "Deployment" d JOIN "App" a ON a."id" = d."appId" WHERE a."teamId" = ${teamId}::uuid),
      (SELECT max(p."updatedAt") FROM "ProcessType" p JOIN "App" a ON a."id" = p."appId" WHERE a."teamId" = ${teamId}::uuid)
    ) AS "stamp"`;
  return row?.stamp ?? '';
}

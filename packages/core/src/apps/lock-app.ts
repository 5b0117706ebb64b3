import type { Tx } from '@paas/db';

/**
 * Serializes changes to one app's deployments (creating, superseding, config
 * versions) until the transaction ends: two pushes of one commit at once then
 * find each other's build instead of making two.
 */
export async function lockApp(tx: Tx, appId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "App" WHERE "id" = ${appId}::uuid FOR UPDATE`;
}

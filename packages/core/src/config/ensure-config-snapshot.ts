import type { Tx } from '@paas/db';
import type { SecretBox } from '../crypto/secret-box';

/**
 * Returns the immutable snapshot of the app's current config version, creating
 * it from the current config vars when missing. Releases pin the snapshot, so a
 * rollback runs with the config it was released with.
 */
export async function ensureConfigSnapshot(tx: Tx, secrets: SecretBox, appId: string) {
  const app = await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { configVersion: true } });
  const existing = await tx.configVersion.findUnique({
    where: { appId_version: { appId, version: app.configVersion } },
  });
  if (existing) return existing;
  const vars = await tx.configVar.findMany({ where: { appId }, orderBy: { key: 'asc' } });
  const plain: Record<string, string> = {};
  for (const v of vars) plain[v.key] = secrets.open(v.valueEnc);
  return tx.configVersion.create({
    data: { appId, version: app.configVersion, varsEnc: secrets.seal(JSON.stringify(plain)) },
  });
}

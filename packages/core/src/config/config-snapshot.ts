import type { Tx } from '@paas/db';
import type { SecretBox } from '../crypto/secret-box';

/**
 * The immutable snapshot of the app's current config version, made from the
 * current config vars when missing (an app that never set any). Releases pin a
 * snapshot, so a rollback runs with exactly the config it was released with.
 */
export async function currentConfigSnapshot(tx: Tx, secrets: SecretBox, appId: string) {
  const app = await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { configVersion: true } });
  const existing = await tx.configVersion.findUnique({ where: { appId_version: { appId, version: app.configVersion } } });
  if (existing) return existing;
  const vars = await tx.configVar.findMany({ where: { appId }, orderBy: { key: 'asc' } });
  const plain: Record<string, string> = {};
  for (const v of vars) plain[v.key] = secrets.open(v.valueEnc);
  return tx.configVersion.create({ data: { appId, version: app.configVersion, varsEnc: secrets.seal(JSON.stringify(plain)) } });
}

export function openSnapshot(secrets: SecretBox, varsEnc: Uint8Array): Record<string, string> {
  return JSON.parse(secrets.open(varsEnc)) as Record<string, string>;
}

import type { Tx } from '@paas/db';
import type { SecretBox } from '../crypto/secret-box';
import { currentConfigSnapshot, openSnapshot } from './config-snapshot';

/**
 * After a rollback the app's config is the config it rolled back to, as on
 * Heroku: what `GET config` shows is what runs, and the next deploy starts
 * from it. History stays linear: the restored vars become a new version.
 * Nothing changes when they already are the current vars. Returns the id of
 * the config version that now holds them, for the rollback release to name.
 */
export async function restoreConfig(tx: Tx, secrets: SecretBox, appId: string, configVersionId: string | null): Promise<string> {
  const snapshot = configVersionId ? await tx.configVersion.findUnique({ where: { id: configVersionId } }) : null;
  const wanted = snapshot ? openSnapshot(secrets, snapshot.varsEnc) : {};
  const rows = await tx.configVar.findMany({ where: { appId } });
  const current = Object.fromEntries(rows.map((r) => [r.key, secrets.open(r.valueEnc)]));
  const same = Object.keys(wanted).length === rows.length && Object.entries(wanted).every(([k, v]) => current[k] === v);
  if (same) return (await currentConfigSnapshot(tx, secrets, appId)).id;
  await tx.configVar.deleteMany({ where: { appId } });
  for (const [key, value] of Object.entries(wanted))
    await tx.configVar.create({ data: { appId, key, valueEnc: secrets.seal(value) } });
  const app = await tx.app.update({ where: { id: appId }, data: { configVersion: { increment: 1 } } });
  const sorted = Object.fromEntries(Object.entries(wanted).sort(([a], [b]) => (a < b ? -1 : 1)));
  const created = await tx.configVersion.create({
    data: { appId, version: app.configVersion, varsEnc: secrets.seal(JSON.stringify(sorted)) },
  });
  return created.id;
}

import type { Db } from '@paas/db';
import { findApp } from '../apps/find-app';
import type { SecretBox } from '../crypto/secret-box';

/** The app's current config vars, decrypted, sorted by name. */
export async function getConfig(deps: { db: Db; secrets: SecretBox }, appName: string) {
  const app = await findApp(deps.db, appName);
  const vars = await deps.db.configVar.findMany({ where: { appId: app.id }, orderBy: { key: 'asc' } });
  return { version: app.configVersion, vars: Object.fromEntries(vars.map((v) => [v.key, deps.secrets.open(v.valueEnc)])) };
}

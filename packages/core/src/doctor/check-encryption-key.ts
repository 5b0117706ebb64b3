import type { Db } from '@paas/db';
import { createSecretBox, parseSecretKey } from '../crypto/secret-box';
import { check, type DoctorCheck, errorMessage } from './check';

const NEW_KEY = 'a new install only: PAAS_SECRET_KEY=$(openssl rand -hex 32), kept with your backups';
const RESTORE = 'restore the key from your backup (.paas/secrets.env)';

/**
 * PAAS_SECRET_KEY is there, well formed, and the one that sealed what the
 * database holds: a platform started with another key runs, and fails only
 * when it deploys (config vars) or talks to GitHub (the App's key).
 */
export async function checkEncryptionKey(deps: { db: Db | null; secretKey: string | undefined }): Promise<DoctorCheck> {
  const title = 'Encryption key';
  if (!deps.secretKey?.trim()) {
    return check(
      'encryption-key',
      title,
      'fail',
      'PAAS_SECRET_KEY is not set: config vars and the GitHub App’s credentials cannot be sealed or opened.',
      `Set PAAS_SECRET_KEY: ${RESTORE}, or on ${NEW_KEY}`,
    );
  }
  let box: ReturnType<typeof createSecretBox>;
  try {
    box = createSecretBox(parseSecretKey(deps.secretKey));
  } catch (error) {
    return check(
      'encryption-key',
      title,
      'fail',
      `PAAS_SECRET_KEY is malformed: ${errorMessage(error)}.`,
      `Set PAAS_SECRET_KEY to 64 hex characters: ${RESTORE}, or on ${NEW_KEY}`,
    );
  }
  if (!deps.db) {
    return check(
      'encryption-key',
      title,
      'warn',
      'PAAS_SECRET_KEY is well formed; not compared with the database, which is unreachable.',
    );
  }
  const sample = await sealedSample(deps.db);
  if (!sample) {
    return check(
      'encryption-key',
      title,
      'ok',
      'PAAS_SECRET_KEY is well formed; nothing is sealed in the database yet to try it on.',
    );
  }
  try {
    box.open(sample.sealed);
    return check(
      'encryption-key',
      title,
      'ok',
      `PAAS_SECRET_KEY is well formed and opens the ${sample.what} stored in this database.`,
    );
  } catch {
    return check(
      'encryption-key',
      title,
      'fail',
      `the key does not open the ${sample.what} stored in this database: ${RESTORE}`,
      `Set PAAS_SECRET_KEY to the key this database was sealed with: ${RESTORE}, then restart the platform`,
    );
  }
}

/** The newest sealed value: an app's config vars first, else the GitHub App's private key. */
async function sealedSample(db: Db): Promise<{ what: string; sealed: Uint8Array } | null> {
  const version = await db.configVersion.findFirst({ orderBy: { createdAt: 'desc' }, select: { varsEnc: true } });
  if (version) return { what: 'config vars', sealed: version.varsEnc };
  const app = await db.githubApp.findFirst({ select: { privateKeyEnc: true } });
  if (app) return { what: 'GitHub App credentials', sealed: app.privateKeyEnc };
  return null;
}

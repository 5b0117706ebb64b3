import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// What `paas login` remembers: which platform, the API token made for this
// machine, and whose it is. One file only its owner can read (0600) in a
// directory only its owner can enter (0700).

export interface Credentials {
  apiUrl: string;
  token: string;
  /** The token's id, so `paas logout` can revoke it. */
  tokenId?: string;
  email: string;
  team: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAAS_CONFIG_DIR) return env.PAAS_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'paas');
}

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env) => join(configDir(env), 'credentials.json');

/** The stored credentials, or null when there are none (or the file is not ours to read). */
export function loadCredentials(env: NodeJS.ProcessEnv = process.env): Credentials | null {
  let text: string;
  try {
    text = readFileSync(credentialsPath(env), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    if (typeof parsed.apiUrl !== 'string' || typeof parsed.token !== 'string') return null;
    return {
      apiUrl: parsed.apiUrl,
      token: parsed.token,
      ...(typeof parsed.tokenId === 'string' ? { tokenId: parsed.tokenId } : {}),
      email: typeof parsed.email === 'string' ? parsed.email : '',
      team: typeof parsed.team === 'string' ? parsed.team : '',
    };
  } catch {
    return null;
  }
}

/** Writes the credentials whole (a new file renamed over the old), readable by the owner only. */
export function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = credentialsPath(env);
  const temp = join(dir, `.credentials.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return file;
}

export function removeCredentials(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(credentialsPath(env), { force: true });
}

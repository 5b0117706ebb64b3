import { createHash } from 'node:crypto';

// Every local resource name is derived from platform ids, never from app names
// or versions: ids are unique across apps, and names never collide however
// apps, releases and process types are called.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertId(id: string, what: string): string {
  if (!UUID.test(id)) throw new InvalidIdError(`${what} "${id}" is not a platform id (a UUID)`);
  return id.toLowerCase();
}

export const localNames = {
  serverGroup: (groupId: string) => `g-${assertId(groupId, 'server group id')}`,
  template: (releaseId: string) => `t-${assertId(releaseId, 'release id')}`,
  config: (appId: string, version: number) => `c-${assertId(appId, 'app id')}-v${version}`,
  /** The unprivileged user an app's builds and processes run as (Linux limit: 32 characters). */
  appUser: (appId: string) => `paas-${assertId(appId, 'app id').replaceAll('-', '').slice(0, 16)}`,
  appId: (id: string) => assertId(id, 'app id'),
  /** Key of an image in the reuse index: same app, repository, commit and build definition. */
  imageKey: (appId: string, repoUrl: string, commitSha: string, definition: string) =>
    createHash('sha256')
      .update(JSON.stringify([assertId(appId, 'app id'), repoUrl, commitSha, definition]))
      .digest('hex'),
};

/** Parses a config ref back into its parts; null when it is not one of ours. */
export function parseConfigRef(ref: string): { appId: string; version: number } | null {
  const match = /^c-([0-9a-f-]{36})-v(\d+)$/.exec(ref);
  if (!match || !UUID.test(match[1] as string)) return null;
  return { appId: match[1] as string, version: Number(match[2]) };
}

export class InvalidIdError extends Error {
  override name = 'InvalidIdError';
}

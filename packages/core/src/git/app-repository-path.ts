import { join } from 'node:path';

/**
 * Where an app's own git repository (what `git push` stores) lives in the
 * platform's data directory: by the app's id, so a new app that reuses a name
 * starts empty. The dashboard writes it; the worker removes it with the app.
 */
export function appRepositoryPath(dataDir: string, appId: string): string {
  return join(dataDir, 'git', `${appId}.git`);
}

import type { StaticBuildPlan } from './build-plan';
import { parseProcfile } from './procfile';
import type { SourceReader } from './source-reader';

/** The command that serves a static site from `root` (the server is put into the image by the build). */
export const staticServerCommand = (root: string) => `node .paas/static-server.mjs ${root}`;

/**
 * A static site: an index.html in public/ (served from there, so the rest of
 * the repository is not published) or else at the root. null when neither exists.
 */
export async function detectStatic(source: SourceReader, names: Set<string>): Promise<StaticBuildPlan | null> {
  const root = (await source.read('public/index.html')) !== null ? 'public' : names.has('index.html') ? '.' : null;
  if (root === null) return null;
  const procfile = names.has('Procfile') ? await source.read('Procfile') : null;
  if (procfile !== null)
    return { stack: 'static', root, processes: parseProcfile(procfile), processSource: 'Procfile', warnings: [] };
  return { stack: 'static', root, processes: { web: staticServerCommand(root) }, processSource: 'index.html', warnings: [] };
}

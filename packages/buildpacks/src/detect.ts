import type { BuildPlan } from './build-plan';
import { detectGo } from './detect-go';
import { detectNode } from './detect-node';
import { detectPython } from './detect-python';
import { detectStatic } from './detect-static';
import { DetectionError } from './detection-error';
import type { SourceReader } from './source-reader';

/**
 * Decides how to build and start an app from its source tree, or says why it
 * cannot. The first kind whose marker files are at the root wins, in this
 * order: Node.js, Python, Go, a static site.
 */
export async function detect(source: SourceReader): Promise<BuildPlan> {
  const names = new Set(await source.list());
  if (names.has('package.json')) return detectNode(source, names);
  if (names.has('requirements.txt') || names.has('pyproject.toml')) return detectPython(source, names);
  if (names.has('go.mod')) return detectGo(source, names);
  const staticSite = await detectStatic(source, names);
  if (staticSite !== null) return staticSite;
  throw new DetectionError(
    'Cannot tell what kind of app this is. Looked at the root of the repository for package.json (Node.js), ' +
      'requirements.txt or pyproject.toml (Python), go.mod (Go), and index.html or public/index.html (a static site); found none.',
  );
}

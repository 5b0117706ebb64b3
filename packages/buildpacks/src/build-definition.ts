/**
 * Names what a build produces from a source tree. Bump it whenever detection
 * or the build script change their output: images are reused by (repository,
 * commit, definition), so an old image is never taken for a new build's result.
 */
export const BUILD_DEFINITION = 'stacks-2';

// A monorepo's app lives in a directory of the repository: the same commit
// built from another directory is another image, so the directory is part of
// the definition (and builders read it back from there).
const ROOT_DIR = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** True for a directory of the repository to build from: relative, no `.` or `..` segments. */
export function isValidRootDir(rootDir: string): boolean {
  return rootDir.length <= 200 && ROOT_DIR.test(rootDir);
}

/** The definition a build of an app built from `rootDir` ('' for the repository's root) is made with. */
export function buildDefinitionFor(rootDir: string): string {
  return rootDir ? `${BUILD_DEFINITION}:${rootDir}` : BUILD_DEFINITION;
}

/** The directory a build definition builds from ('' for the repository's root). */
export function rootDirOf(definition: string): string {
  const at = definition.indexOf(':');
  return at === -1 ? '' : definition.slice(at + 1);
}

/**
 * Names what a build produces from a source tree. Bump it whenever detection
 * or the build script change their output: images are reused by (repository,
 * commit, definition), so an old image is never taken for a new build's result.
 */
export const BUILD_DEFINITION = 'node-1';

import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleModule } from '../../bundle/bundle-module';

/**
 * The runner's file in the data dir's platform-only `runtime/` directory,
 * written once per version (content-addressed, written to a temporary name
 * of its own and renamed, so a concurrent build or worker never runs half a file).
 */
export async function runnerScript(runtimeDir: string): Promise<string> {
  // The detached builder (build-runner.ts and what it imports) as one plain
  // ES module: a build starts with `node runner.mjs`, without a TypeScript
  // loader compiling the runner first (about a third of a second of every build).
  const { code, digest } = await bundleModule(new URL('./build-runner.ts', import.meta.url));
  const path = join(runtimeDir, `build-runner-${digest}.mjs`);
  const present = await stat(path).then(
    (s) => s.size === Buffer.byteLength(code),
    () => false,
  );
  if (!present) {
    await mkdir(runtimeDir, { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, code, { mode: 0o600 });
    await rename(temp, path);
  }
  return path;
}

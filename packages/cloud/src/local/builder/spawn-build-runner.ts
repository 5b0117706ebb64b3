import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppIdentity } from '../isolation/app-user';
import { platformEnv } from '../process/platform-env';
import { readProcStat, TAG } from '../process/proc';
import type { ImageLayout, Layout } from '../state/layout';
import type { RunnerRecord } from '../state/records';

const runnerPath = fileURLToPath(new URL('./build-runner.ts', import.meta.url));

/** tsx's loader, resolved from this package so the runner works from any cwd. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/**
 * Starts the builder detached: its own session and process group (setsid), no
 * pipes to us, `nice -n 10` so a build never starves running apps. Killing or
 * restarting the caller leaves it running; it reports through result.json. The
 * runner keeps the platform's user to write the log and result; the build
 * itself (git, npm) runs as the app's user, which it is given here.
 */
export async function spawnBuildRunner(
  paths: Layout,
  image: ImageLayout,
  buildId: string,
  identity: AppIdentity,
): Promise<RunnerRecord> {
  const err = openSync(image.runnerErr, 'a', 0o600);
  try {
    const args = [process.execPath, '--import', tsxLoaderUrl(), runnerPath, paths.root, buildId, JSON.stringify(identity)];
    const child = spawn('nice', ['-n', '10', ...args], {
      cwd: image.dir,
      detached: true,
      stdio: ['ignore', err, err],
      // Cast: Next's types make NODE_ENV required on ProcessEnv; a build gets its own.
      env: { ...platformEnv(), [TAG.dataDir]: paths.root, [TAG.build]: buildId } as unknown as NodeJS.ProcessEnv,
    });
    child.once('error', () => {}); // reported as a dead runner by getImageBuild
    child.unref();
    if (child.pid === undefined) throw new Error('could not start the builder process');
    const stat = await readProcStat(child.pid);
    return { pid: child.pid, startTime: stat?.startTime ?? null, startedAt: new Date().toISOString() };
  } finally {
    closeSync(err);
  }
}

// Entry point of the detached builder process (see spawn-build-runner.ts):
//   node --import tsx build-runner.ts <dataDir> <buildId>
// It owns one build from fetch to result. It runs in its own process group,
// niced, with a clean environment, so the worker that started it may die or
// restart meanwhile: the outcome lands in result.json for whoever asks next.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { DetectionError, detect, directorySourceReader, renderBuildScript, renderFetchSourceScript } from '@paas/buildpacks';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import { layout } from '../state/layout';
import type { BuildRecord, BuildResult } from '../state/records';
import { CappedLog } from './capped-log';

class BuildFailure extends Error {}

async function main(dataDir: string, buildId: string): Promise<void> {
  const paths = layout(dataDir);
  const image = paths.image(buildId);
  const record = await readJsonFile<BuildRecord>(image.build);
  if (record === null) throw new Error(`no build request at ${image.build}`);
  if ((await readJsonFile(image.result)) !== null) return; // cancelled before we got here

  const log = new CappedLog(image.log, { secrets: urlSecrets(record.repoUrl) });
  let result: BuildResult;
  try {
    log.line(`-----> Building ${record.app} from ${record.commitSha.slice(0, 12)} (build ${buildId})`);
    const fetchStatus = await runBash(
      renderFetchSourceScript({ repoUrl: record.repoUrl, commitSha: record.commitSha, dir: image.app }),
      log,
    );
    if (fetchStatus.code !== 0)
      throw new BuildFailure(`Could not fetch commit ${record.commitSha} (exit status ${fetchStatus.code})`);

    const plan = await detect(directorySourceReader(image.app));
    await mkdir(paths.npmCache, { recursive: true });
    const script = renderBuildScript(plan, { appDir: image.app, npmCacheDir: paths.npmCache });
    await writeFile(image.script, script, { mode: 0o644 });
    const buildStatus = await runBash(script, log);
    if (buildStatus.code !== 0) {
      const step = buildStatus.lastStep ? ` during "${buildStatus.lastStep}"` : '';
      throw new BuildFailure(`Build failed${step} (exit status ${buildStatus.code})`);
    }
    result = { state: 'succeeded', processes: plan.processes, stack: plan.stack, finishedAt: new Date().toISOString() };
  } catch (error) {
    const message =
      error instanceof BuildFailure || error instanceof DetectionError ? error.message : `Build crashed: ${String(error)}`;
    log.line(` !     ${message}`);
    result = { state: 'failed', error: message, finishedAt: new Date().toISOString() };
  } finally {
    log.close();
  }
  // Once: a cancel that raced us has already written its own result.
  await createJsonOnce(image.result, result);
}

/** Runs a script with bash, streaming its output into the log; remembers the last `-----> ` step. */
function runBash(script: string, log: CappedLog): Promise<{ code: number; lastStep: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let lastStep: string | null = null;
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const match of text.matchAll(/^-----> (.+)$/gm)) lastStep = match[1] ?? lastStep;
      log.write(chunk);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), lastStep }));
    child.stdin.end(script);
  });
}

function urlSecrets(repoUrl: string): string[] {
  try {
    const url = new URL(repoUrl);
    return [url.password, url.username].filter((part) => part !== '').map(decodeURIComponent);
  } catch {
    return [];
  }
}

const [dataDir, buildId] = process.argv.slice(2);
if (dataDir === undefined || buildId === undefined) {
  console.error('usage: build-runner.ts <dataDir> <buildId>');
  process.exit(2);
}
main(dataDir, buildId).then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error);
    const result: BuildResult = {
      state: 'failed',
      error: `Builder crashed: ${String(error)}`,
      finishedAt: new Date().toISOString(),
    };
    await createJsonOnce(layout(dataDir).image(buildId).result, result).catch(() => {});
    process.exit(1);
  },
);

// Entry point of the detached builder process (see spawn-build-runner.ts):
//   node build-runner.mjs <dataDir> <buildId> <identity json>   (bundled: see runner-bundle.ts)
// It owns one build from fetch to result. It runs in its own process group,
// niced, with a clean environment, so the worker that started it may die or
// restart meanwhile: the outcome lands in result.json for whoever asks next.
// git and npm run as the app's own user, in a tree only that user can read.
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DetectionError, rootDirOf } from '@paas/buildpacks';
import { BuildFailure, buildSource, runScript } from '../../build';
import { type AppIdentity, giveToApp } from '../isolation/app-user';
import { withBuildLimits } from '../limits/build-limits';
import { localNames } from '../names';
import { appEnv } from '../process/platform-env';
import { createJsonOnce, readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { layout } from '../state/layout';
import type { BuildRecord, BuildResult, ImageIndexEntry } from '../state/records';
import { CappedLog } from './capped-log';

async function main(dataDir: string, buildId: string, identity: AppIdentity): Promise<void> {
  const paths = layout(dataDir);
  const image = paths.image(buildId);
  const record = await readJsonFile<BuildRecord>(image.build);
  if (record === null) throw new Error(`no build request at ${image.build}`);
  if ((await readJsonFile(image.result)) !== null) return; // cancelled before we got here

  const log = new CappedLog(image.log, { secrets: urlSecrets(record.repoUrl) });
  let result: BuildResult = { state: 'failed', error: 'Build crashed', finishedAt: new Date().toISOString() };
  try {
    log.line(`-----> Building ${record.app.name} from ${record.ref} (build ${buildId})`);
    await rm(image.app, { recursive: true, force: true });
    await giveToApp(identity, image.app);

    const found: { earlier: EarlierImage | null } = { earlier: null };
    // Time, disk and memory limits: exceeding one fails the build with a BuildFailure saying which.
    const outcome = await withBuildLimits({ image, home: identity.home }, () =>
      buildSource({
        repoUrl: record.repoUrl,
        ref: record.ref,
        ...(record.archive ? { archivePath: record.archive } : {}),
        rootDir: rootDirOf(record.definition),
        appDir: image.app,
        cacheDir: join(identity.home, '.cache', 'paas-build'),
        log,
        run: (script) =>
          runScript(script, log, {
            cwd: identity.home,
            env: { ...appEnv(identity), ...tags() },
            user: identity.user ?? null,
          }),
        reuse: async (commitSha) => {
          const key = localNames.imageKey(record.app.id, record.repoUrl, commitSha, record.definition);
          found.earlier = await builtBefore(paths, key, buildId);
          return found.earlier !== null;
        },
        onScript: (script) => writeFile(image.script, script, { mode: 0o600 }),
      }),
    );
    if (outcome.reused) {
      const reused = found.earlier as EarlierImage; // set by the reuse hook when it answered yes
      // A branch or tag resolved to a commit this app has already built: use that image.
      log.line(`-----> Reusing the image built earlier from ${outcome.commitSha.slice(0, 12)} (build ${reused.buildId})`);
      await rm(image.app, { recursive: true, force: true });
      result = { ...reused.result, commitSha: outcome.commitSha, finishedAt: new Date().toISOString(), imageOf: reused.buildId };
      return;
    }
    result = {
      state: 'succeeded',
      commitSha: outcome.commitSha,
      processes: outcome.plan.processes,
      stack: outcome.plan.stack,
      finishedAt: new Date().toISOString(),
    };
    const key = localNames.imageKey(record.app.id, record.repoUrl, outcome.commitSha, record.definition);
    const entry: ImageIndexEntry = { buildId, appId: record.app.id };
    await writeJsonAtomic(paths.imageIndexEntry(key), entry, 0o600);
  } catch (error) {
    const message =
      error instanceof BuildFailure || error instanceof DetectionError ? error.message : `Build crashed: ${String(error)}`;
    log.line(` !     ${message}`);
    result = { state: 'failed', error: message, finishedAt: new Date().toISOString() };
  } finally {
    // Unpacked into the image (or useless): the tarball goes.
    if (record.archive) await rm(record.archive, { force: true });
    log.close();
    // Once: a cancel that raced us has already written its own result.
    await createJsonOnce(image.result, result, 0o600);
  }
}

type EarlierImage = NonNullable<Awaited<ReturnType<typeof builtBefore>>>;

/** The succeeded build of this app that made the image for `key`, unless it is this build. */
async function builtBefore(paths: ReturnType<typeof layout>, key: string, buildId: string) {
  const entry = await readJsonFile<ImageIndexEntry>(paths.imageIndexEntry(key));
  if (entry === null || entry.buildId === buildId) return null;
  const result = await readJsonFile<BuildResult>(paths.image(entry.buildId).result);
  if (result?.state !== 'succeeded' || result.imageOf) return null;
  const present = await stat(paths.image(entry.buildId).app).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return present ? { buildId: entry.buildId, result } : null;
}

/** The builder's tags, inherited by everything it starts, so a cancel finds every process of the build. */
function tags(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['PAAS_LOCAL_DATA_DIR', 'PAAS_BUILD_ID']) {
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function urlSecrets(repoUrl: string): string[] {
  try {
    const url = new URL(repoUrl);
    return [url.password, url.username].filter((part) => part !== '').map(decodeURIComponent);
  } catch {
    return [];
  }
}

const [dataDir, buildId, identityJson] = process.argv.slice(2);
if (dataDir === undefined || buildId === undefined || identityJson === undefined) {
  console.error('usage: build-runner.ts <dataDir> <buildId> <identity json>');
  process.exit(2);
}
main(dataDir, buildId, JSON.parse(identityJson) as AppIdentity).then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error);
    const result: BuildResult = {
      state: 'failed',
      error: `Builder crashed: ${String(error)}`,
      finishedAt: new Date().toISOString(),
    };
    await createJsonOnce(layout(dataDir).image(buildId).result, result, 0o600).catch(() => {});
    process.exit(1);
  },
);

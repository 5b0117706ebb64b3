import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRef, CloudProvider, Logger } from '@paas/core';
import { type BareRepo, createBareRepo, describeOne, sampleAppFiles, waitFor, waitForBuild } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import type { LocalContext } from '../src/local/context';
import { housekeep } from '../src/local/housekeeping/housekeep';
import type { HousekeepingPolicy } from '../src/local/housekeeping/policy';
import { moveToTrash } from '../src/local/housekeeping/trash';
import { localRuntime } from '../src/local/local-runtime';
import { localNames } from '../src/local/names';
import { readLogTail } from '../src/local/process/read-log-tail';
import { createJsonOnce, writeJsonAtomic } from '../src/local/state/atomic-file';
import { acquireLock } from '../src/local/state/file-lock';
import { type Layout, layout } from '../src/local/state/layout';
import type { BuildRecord, BuildResult, ImageIndexEntry } from '../src/local/state/records';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

// Disk housekeeping of the local provider on real files and processes: which
// build directories a pass keeps (see housekeeping/choose-images.ts), that it
// never leaves the data dir, that a crash mid-delete is finished next pass,
// that starting a release whose image went says so, and log rotation under a
// process that keeps writing.
describe('local disk housekeeping', () => {
  let dataDir: string;
  let outside: string;
  let paths: Layout;
  let provider: CloudProvider;
  let ctx: LocalContext;
  let repo: BareRepo;
  const infos: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const log: Logger = { info: (message, fields) => infos.push({ message, fields }), warn() {}, error() {} };
  const configKey = randomBytes(32);
  const policy: Partial<HousekeepingPolicy> = {
    intervalMs: 0,
    keepImages: 3,
    keepFailedBuilds: 2,
    safetyAgeMs: 60_000,
    logMaxBytes: 64 * 1024,
    logGenerations: 2,
    logRetentionMs: HOUR,
  };
  const app = newApp('keeper');
  const other = newApp('other');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-housekeeping-'));
    outside = await mkdtemp(join(tmpdir(), 'paas-housekeeping-outside-'));
    await writeFile(join(outside, 'sentinel'), 'not the platform’s');
    await utimes(join(outside, 'sentinel'), new Date(Date.now() - 30 * DAY), new Date(Date.now() - 30 * DAY));
    paths = layout(dataDir);
    const options = { dataDir, configKey, stopGraceMs: 1_000, healthTimeoutMs: 10_000, housekeeping: policy, log };
    provider = createLocalProvider(options);
    ctx = localRuntime(options).ctx;
    repo = await createBareRepo();
  });

  afterAll(async () => {
    await removeLocalData(dataDir);
    await rm(outside, { recursive: true, force: true });
    await repo?.remove();
  });

  /**
   * A finished build as the builder leaves it (the same record files, and its
   * reuse-index entry when it made an image), dated `ageMs` ago.
   */
  async function recordBuild(
    owner: AppRef,
    ageMs: number,
    outcome: { state: 'succeeded'; imageOf?: string } | { state: 'failed' },
    tree = outcome.state === 'succeeded' && !outcome.imageOf,
  ): Promise<{ buildId: string; commitSha: string }> {
    const buildId = randomUUID();
    const commitSha = randomBytes(20).toString('hex');
    const image = paths.image(buildId);
    const at = new Date(Date.now() - ageMs).toISOString();
    await mkdir(image.dir, { recursive: true });
    const record: BuildRecord = { buildId, app: owner, repoUrl: repo.url, ref: commitSha, definition: 'd', requestedAt: at };
    await createJsonOnce(image.build, record, 0o600);
    await writeFile(image.log, `-----> Building ${owner.name}\n`);
    if (tree) {
      await mkdir(join(image.app, 'node_modules', 'dep'), { recursive: true });
      await writeFile(join(image.app, 'node_modules', 'dep', 'index.js'), randomBytes(100 * 1024));
      await writeFile(join(image.app, 'server.js'), 'console.log(1)');
    }
    const result: BuildResult =
      outcome.state === 'succeeded'
        ? {
            state: 'succeeded',
            commitSha,
            processes: { web: 'node server.js' },
            stack: 'node',
            finishedAt: at,
            ...(outcome.imageOf ? { imageOf: outcome.imageOf } : {}),
          }
        : { state: 'failed', error: 'Build failed', finishedAt: at };
    if (outcome.state === 'succeeded' && !outcome.imageOf) {
      const entry: ImageIndexEntry = { buildId, appId: owner.id };
      await writeJsonAtomic(paths.imageIndexEntry(localNames.imageKey(owner.id, repo.url, commitSha, 'd')), entry, 0o600);
    }
    await createJsonOnce(image.result, result, 0o600);
    return { buildId, commitSha };
  }

  const listImages = async () => (await readdir(paths.images)).sort();
  const exists = (path: string) =>
    lstat(path).then(
      () => true,
      () => false,
    );
  const ageFile = (path: string, ageMs: number) => utimes(path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  const realBuild = async (sha: string) => {
    const buildId = randomUUID();
    await provider.startImageBuild({ app, buildId, repoUrl: repo.url, ref: sha, definition: randomUUID() });
    return { buildId, status: await waitForBuild(provider, buildId) };
  };

  // Filled by the first test, checked by later ones.
  const kept: Record<string, string> = {};
  const gone: Record<string, string> = {};
  let reclaimedTemplate: { release: { id: string; version: number }; templateRef: string };
  let reclaimedCommit: string;

  it('keeps what groups run, the newest images and releases and recent failures; deletes the rest and nothing outside', async () => {
    // Two real builds (one good, one failing), then many more recorded as the builder would.
    const good = await repo.commit(sampleAppFiles({ text: 'kept' }), 'good');
    const bad = await repo.commit(sampleAppFiles({ text: 'bad', scripts: { build: 'exit 3' } }), 'bad');
    const [built, failed] = await Promise.all([realBuild(good), realBuild(bad)]);
    expect(built.status.state).toBe('succeeded');
    expect(failed.status.state).toBe('failed');
    kept.newestImage = built.buildId;
    kept.newestFailure = failed.buildId;

    const older: { buildId: string; commitSha: string }[] = [];
    for (let day = 1; day <= 8; day++) older.push(await recordBuild(app, day * DAY, { state: 'succeeded' }));
    const [day1, day2, day3, day4, day5, day6, day7, day8] = older;
    // Built an hour ago from a commit built on day 2: that image counts as one of the newest.
    const reuse = await recordBuild(app, HOUR, { state: 'succeeded', imageOf: day2?.buildId as string });
    kept.day1 = day1?.buildId as string;
    kept.day2 = day2?.buildId as string;
    kept.reuse = reuse.buildId;
    for (const [name, build] of Object.entries({ day3, day4, day5, day6 })) gone[name] = build?.buildId as string;

    // day8 runs in a server group (even one scaled to 0); day7's group was destroyed.
    const live = await releaseOf(provider, app, day8?.buildId as string, { web: 'node server.js' }, {}, 2);
    await groupOf(provider, app, live, 'web', 0);
    reclaimedTemplate = await releaseOf(provider, app, day7?.buildId as string, { web: 'node server.js' }, {}, 1);
    reclaimedCommit = day7?.commitSha as string;
    const destroyed = await groupOf(provider, app, reclaimedTemplate, 'web', 0);
    await provider.destroyServerGroup(destroyed.ref);
    // Releases v3-v5 run the newest image: the release window (3) is v3-v5.
    for (const version of [3, 4, 5]) await releaseOf(provider, app, built.buildId, { web: 'node server.js' }, {}, version);
    for (const name of await readdir(paths.templates)) await ageFile(join(paths.templates, name), 2 * HOUR);
    kept.day8 = day8?.buildId as string;
    gone.day7 = day7?.buildId as string;

    // Failures: the real one and one an hour old are the newest two; the older go, and the kept one's tree.
    const failedHourAgo = await recordBuild(app, HOUR, { state: 'failed' }, true);
    kept.failedHourAgo = failedHourAgo.buildId;
    gone.failed3d = (await recordBuild(app, 3 * DAY, { state: 'failed' })).buildId;
    gone.failed8d = (await recordBuild(app, 8 * DAY, { state: 'failed' })).buildId;
    // A build whose builder died without a result, long ago, and one that is just starting.
    const abandoned = randomUUID();
    await mkdir(paths.image(abandoned).dir);
    await createJsonOnce(paths.image(abandoned).build, {
      buildId: abandoned,
      app,
      repoUrl: repo.url,
      ref: 'main',
      definition: 'd',
      requestedAt: new Date(Date.now() - 5 * HOUR).toISOString(),
    } satisfies BuildRecord);
    const deadPid = spawnSync('true').pid as number;
    await writeJsonAtomic(paths.image(abandoned).runner, { pid: deadPid, startTime: '1', startedAt: new Date().toISOString() });
    await ageFile(paths.image(abandoned).dir, 5 * HOUR);
    gone.abandoned = abandoned;
    const starting = randomUUID();
    await mkdir(paths.image(starting).dir);
    await createJsonOnce(paths.image(starting).build, {
      buildId: starting,
      app,
      repoUrl: repo.url,
      ref: 'main',
      definition: 'd',
      requestedAt: new Date().toISOString(),
    } satisfies BuildRecord);
    kept.starting = starting;

    // Another app's two old images are its newest: kept.
    kept.otherA = (await recordBuild(other, 20 * DAY, { state: 'succeeded' })).buildId;
    kept.otherB = (await recordBuild(other, 30 * DAY, { state: 'succeeded' })).buildId;

    // What is not the platform's: a symlink out of the data dir (in images/ and inside an image that goes),
    // a hidden directory, and a directory with no build record holding a file of someone else's.
    await symlink(outside, join(paths.images, 'escape'));
    await symlink(outside, join(paths.image(gone.day3 as string).app, 'link-out'));
    await symlink(join(outside, 'sentinel'), join(paths.image(gone.day4 as string).dir, 'sentinel-link'));
    await mkdir(join(paths.images, '.hidden'));
    await mkdir(join(paths.images, 'notes'));
    await writeFile(join(paths.images, 'notes', 'mine.txt'), 'an operator’s file');
    await ageFile(join(paths.images, 'notes'), 10 * DAY);

    const before = await listImages();
    await provider.reconcile();

    const after = new Set(await listImages());
    for (const [name, buildId] of Object.entries(kept)) expect(after.has(buildId), `${name} kept`).toBe(true);
    for (const [name, buildId] of Object.entries(gone)) expect(after.has(buildId), `${name} deleted`).toBe(false);
    expect([...after].sort()).toEqual(before.filter((name) => !Object.values(gone).includes(name)).sort());
    // Only its log is left of the kept failure; a succeeded image keeps its tree.
    expect(await exists(paths.image(failedHourAgo.buildId).log)).toBe(true);
    expect(await exists(paths.image(failedHourAgo.buildId).app)).toBe(false);
    expect(await exists(paths.image(kept.day8 as string).app)).toBe(true);
    expect(await exists(paths.image(failed.buildId).log)).toBe(true);
    expect(await exists(paths.image(failed.buildId).app)).toBe(false);

    // Nothing outside was touched; the platform's own leftovers were left to their owner.
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('not the platform’s');
    expect((await lstat(join(paths.images, 'escape'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(paths.images, 'notes', 'mine.txt'), 'utf8')).toBe('an operator’s file');
    expect(await exists(join(paths.images, '.hidden'))).toBe(true);
    expect(await readdir(paths.trash)).toEqual([]);

    // The reuse index forgets deleted images (a deploy of their commit builds again) and keeps the others.
    const find = (sha: string) => provider.findImage({ app, repoUrl: repo.url, commitSha: sha, definition: 'd' });
    expect(await find(day3?.commitSha as string)).toBeNull();
    expect((await find(day1?.commitSha as string))?.imageRef).toBe(day1?.buildId);
    const entries = await Promise.all(
      (await readdir(paths.imageIndex)).map(async (name) => JSON.parse(await readFile(join(paths.imageIndex, name), 'utf8'))),
    );
    for (const entry of entries) expect(Object.values(gone)).not.toContain(entry.buildId);

    // Reported: how many and how many bytes, at info level.
    const report = infos.find((entry) => entry.message === 'disk housekeeping reclaimed space');
    expect(report?.fields).toMatchObject({ imagesRemoved: Object.keys(gone).length });
    expect(report?.fields?.treesTrimmed).toBeGreaterThanOrEqual(1);
    expect(report?.fields?.imageBytes).toBeGreaterThan(5 * 100 * 1024);
  }, 60_000);

  it('fails to start a release whose image was reclaimed, saying so, and creates no group', async () => {
    const groupsBefore = await readdir(paths.groups);
    const attempt = groupOf(provider, app, reclaimedTemplate, 'web', 1);
    await expect(attempt).rejects.toMatchObject({
      code: 'image_reclaimed',
      retryable: false,
      message: expect.stringMatching(/release v1 .*image .*deleted by disk housekeeping.*Deploy that release's commit again/),
    });
    expect(await readdir(paths.groups)).toEqual(groupsBefore);
    // Its commit builds again (nothing in the index points at the deleted image).
    expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: reclaimedCommit, definition: 'd' })).toBeNull();
  });

  it('finishes a delete that crashed halfway, and forgets what a crash left pointing nowhere', async () => {
    const victim = await recordBuild(app, 40 * DAY, { state: 'succeeded' });
    // The crash: renamed to a tombstone, then partly removed, then the process died.
    expect(await moveToTrash(paths, paths.image(victim.buildId).dir)).toBe(true);
    const [tombstone] = await readdir(paths.trash);
    await rm(join(paths.trash, tombstone as string, 'app', 'server.js'));
    expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: victim.commitSha, definition: 'd' })).toBeNull();

    const outcome = await housekeep(ctx, { force: true });
    expect(outcome?.errors).toEqual([]);
    expect(await readdir(paths.trash)).toEqual([]);
    expect(outcome?.trashBytes).toBeGreaterThan(100 * 1024);
    expect(await exists(paths.imageIndexEntry(localNames.imageKey(app.id, repo.url, victim.commitSha, 'd')))).toBe(false);
    // Nothing else was due: a second pass changes nothing.
    const images = await listImages();
    expect((await housekeep(ctx, { force: true }))?.imagesRemoved).toBe(0);
    expect(await listImages()).toEqual(images);
  });

  it('runs at most once per interval per data dir, and one worker at a time', async () => {
    const slow = localRuntime({ dataDir, housekeeping: { ...policy, intervalMs: 10 * 60_000 } }).ctx;
    expect(await housekeep(slow)).toBeNull(); // the pass above was just now
    const old = await recordBuild(app, 50 * DAY, { state: 'succeeded' });
    expect(await housekeep(slow)).toBeNull();
    expect(await exists(paths.image(old.buildId).dir)).toBe(true);

    const held = await acquireLock(paths.lock('housekeeping'), { waitMs: 0 });
    try {
      expect(await housekeep(ctx, { force: true })).toBeNull();
      expect(await exists(paths.image(old.buildId).dir)).toBe(true);
    } finally {
      await held?.release();
    }
    expect((await housekeep(ctx, { force: true }))?.imagesRemoved).toBe(1);
    expect(await exists(paths.image(old.buildId).dir)).toBe(false);
  });

  it('rotates the log of an app that keeps writing; tails and followers still see the latest lines', async () => {
    const chatty = newApp('chatty');
    const writer = [
      "const pad = 'x'.repeat(100);",
      'let n = 0;',
      "setInterval(() => { for (let k = 0; k < 4; k++) console.log('line ' + ++n + ' ' + pad); }, 4);",
      "process.on('SIGTERM', () => process.exit(0));",
    ].join('\n');
    const imageRef = await writeImage(dataDir, chatty, { 'writer.js': writer });
    const rel = await releaseOf(provider, chatty, imageRef, { worker: 'node writer.js' }, {}, 1);
    const { ref } = await groupOf(provider, chatty, rel, 'worker', 1);
    const [instance] = (await describeOne(provider, ref))?.instances ?? [];
    const logPath = paths.instanceLog(ref, instance?.id as string);
    const numbers = (text: string) => [...text.matchAll(/line (\d+) x/g)].map((m) => Number(m[1]));
    const query = (cursor: string | null, tail = 0) =>
      provider.readInstanceLogs({ app: chatty, serverGroupRefs: [ref], tail, cursor });

    // A follower that started before the rotation, and has read a bit.
    await waitFor('some output', async () => ((await stat(logPath).catch(() => null))?.size ?? 0) > 4_096, 20_000, 20);
    let cursor = (await query(null)).cursor;
    const seen: number[] = [];
    await waitFor('the log to pass the limit', async () => (await stat(logPath)).size > 96 * 1024, 30_000, 50);

    const outcome = await housekeep(ctx, { force: true });
    expect(outcome?.logs.rotated).toBe(1);
    const rotated = numbers(await readFile(`${logPath}.1`, 'utf8'));
    expect(rotated.length).toBeGreaterThan(500);
    // The process keeps writing to the same (now emptied) file.
    await waitFor(
      'new lines after the rotation',
      async () => {
        const fresh = numbers(await readFile(logPath, 'utf8'));
        return fresh.length > 20 && (fresh[0] as number) > (rotated.at(-1) as number);
      },
      20_000,
      20,
    );

    // The follower reads the rest of the rotated part, then the new file: in order, and at most the
    // loss window's line or two missing (a write between the copy's last read and the truncate).
    const target = numbers(await readFile(logPath, 'utf8'))[10] as number;
    await waitFor(
      'the follower to catch up',
      async () => {
        const next = await query(cursor);
        cursor = next.cursor;
        seen.push(...numbers(next.text));
        return (seen.at(-1) ?? 0) >= target;
      },
      20_000,
      20,
    );
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] as number);
    const span = (seen.at(-1) as number) - (seen[0] as number) + 1;
    expect(span - seen.length).toBeLessThanOrEqual(4);

    // A fresh tail shows the newest lines.
    const tail = numbers((await query(null, 20)).text);
    expect(tail).toHaveLength(20);
    expect(tail[0]).toBeGreaterThan(rotated.at(-1) as number);
    await provider.destroyServerGroup(ref);
  }, 60_000);

  it('reads an exit status and the last lines from the rotated generation when the live log is empty', async () => {
    const burst = newApp('burst');
    const script = "for (let i = 1; i <= 3000; i++) console.log('burst ' + i + ' ' + 'y'.repeat(40)); process.exit(3);";
    const imageRef = await writeImage(dataDir, burst, { 'burst.js': script });
    const rel = await releaseOf(provider, burst, imageRef, { worker: 'node burst.js' }, {}, 1);
    const { ref } = await groupOf(provider, burst, rel, 'worker', 1);
    const detail = async () => (await describeOne(provider, ref))?.instances[0]?.detail ?? '';
    await waitFor('the process to exit', async () => (await detail()).includes('exited with status 3'), 20_000, 50);
    const [instance] = (await describeOne(provider, ref))?.instances ?? [];
    const logPath = paths.instanceLog(ref, instance?.id as string);

    expect((await housekeep(ctx, { force: true }))?.logs.rotated).toBe(1);
    expect((await stat(logPath)).size).toBe(0);
    expect(await detail()).toMatch(/process exited with status 3[\s\S]*burst 3000 y/);
    const tail = (await provider.readInstanceLogs({ app: burst, serverGroupRefs: [ref], tail: 3, cursor: null })).text;
    expect(tail).toMatch(/burst 2999 y+\n.*burst 3000 y+\n.*paas: process exited with status 3\n$/);
    expect(await readLogTail(logPath, 2)).toMatch(/burst 3000 y+\npaas: process exited with status 3$/);
    await provider.destroyServerGroup(ref);
  });

  it('deletes the logs of instances and groups that are gone once idle past retention, and only those', async () => {
    const dir = paths.groupLogs('g-gone');
    await mkdir(dir, { recursive: true });
    for (const name of ['g-gone.1.abc.log', 'g-gone.1.abc.log.1', 'g-gone.2.def.log']) {
      await writeFile(join(dir, name), 'old\n');
    }
    await ageFile(join(dir, 'g-gone.1.abc.log'), 2 * HOUR);
    await ageFile(join(dir, 'g-gone.1.abc.log.1'), 2 * HOUR);
    await symlink(join(outside, 'sentinel'), join(dir, 'g-gone.3.ghi.log'));
    await symlink(outside, join(paths.logs, 'g-escape'));

    const outcome = await housekeep(ctx, { force: true });
    expect(outcome?.logs.removed).toBeGreaterThanOrEqual(2);
    expect((await readdir(dir)).sort()).toEqual(['g-gone.2.def.log', 'g-gone.3.ghi.log']);
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('not the platform’s');
    expect((await lstat(join(paths.logs, 'g-escape'))).isSymbolicLink()).toBe(true);

    await ageFile(join(dir, 'g-gone.2.def.log'), 2 * HOUR);
    await rm(join(dir, 'g-gone.3.ghi.log'));
    await housekeep(ctx, { force: true });
    expect(await exists(dir)).toBe(false);
  });
});

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppRef } from '@paas/core';
import { type BareRepo, createBareRepo, readWholeBuildLog, sampleAppFiles, waitFor, waitForBuild } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { findTaggedProcesses, TAG } from '../src/local/process/proc';
import type { BuildRecord } from '../src/local/state/records';

const fixture = fileURLToPath(new URL('./fixtures/start-build-then-hang.ts', import.meta.url));

describe('local image builds', () => {
  let dataDir: string;
  let repo: BareRepo;
  let slowSha: string;
  const app: AppRef = { id: randomUUID(), name: 'builds' };
  // Each build gets a definition of its own unless a test wants reuse: the same
  // commit and definition would reuse the first image instead of building.
  const build = (ref: string, buildId: string = randomUUID(), definition: string = randomUUID()) => ({
    app,
    buildId,
    repoUrl: repo.url,
    ref,
    definition,
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-builds-'));
    repo = await createBareRepo();
    slowSha = await repo.commit(
      sampleAppFiles({ text: 'slow', scripts: { build: 'echo "secret is [$PAAS_TEST_BUILD_SECRET]" && sleep 3' } }),
      'slow build',
    );
  });

  afterAll(async () => {
    await removeLocalData(dataDir);
    await repo.remove();
  });

  const runners = (buildId: string) => findTaggedProcesses(TAG.build, buildId);
  /**
   * Waits for the builder's processes to show: right after the spawn the
   * builder is still exec'ing through its launcher (sh, nice, node), and
   * /proc hides a process's environment while it execs.
   */
  const builderRunning = (buildId: string) =>
    waitFor('the builder to run', async () => (await runners(buildId)).length > 0, 5_000, 20);

  it('keeps building after the worker that started it is killed, and another process picks up the result', async () => {
    const input = build(slowSha);
    const worker = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      worker.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    const { jobRef } = JSON.parse(line) as { jobRef: string };
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;

    const provider = createLocalProvider({ dataDir });
    expect((await provider.getImageBuild(jobRef)).state).toBe('running');
    const status = await waitForBuild(provider, jobRef);
    expect(status.state).toBe('succeeded');
    expect(await readWholeBuildLog(provider, jobRef)).toContain('-----> Building with npm run build');
  }, 60_000);

  it('starts the builder of a build that was recorded by a worker killed before it could start it', async () => {
    const input = build(slowSha);
    const image = localDataLayout(dataDir).image(input.buildId);
    // What a worker killed right after recording the request leaves behind.
    await mkdir(image.dir, { recursive: true });
    const record: BuildRecord = { ...input, requestedAt: new Date().toISOString() };
    await writeFile(image.build, JSON.stringify(record));

    const provider = createLocalProvider({ dataDir });
    expect(await provider.startImageBuild(input)).toEqual({ jobRef: input.buildId });
    await builderRunning(input.buildId);
    expect((await waitForBuild(provider, input.buildId)).state).toBe('succeeded');
  }, 60_000);

  it('starts one builder however many times and from however many callers it is started', async () => {
    const input = build(slowSha);
    const providers = [createLocalProvider({ dataDir }), createLocalProvider({ dataDir })];
    const refs = await Promise.all([...providers, ...providers].map((p) => p.startImageBuild(input)));
    expect(new Set(refs.map((r) => r.jobRef)).size).toBe(1);
    await builderRunning(input.buildId);
    const status = await waitForBuild(providers[0]!, input.buildId);
    expect(status.state).toBe('succeeded');
    expect((await readWholeBuildLog(providers[0]!, input.buildId)).match(/-----> Fetching/g)).toHaveLength(1);
    await expect(providers[1]!.startImageBuild({ ...input, ref: 'a'.repeat(40) })).rejects.toMatchObject({ code: 'conflict' });
  }, 60_000);

  it('runs builds niced, in their own process group, without the caller’s environment, as the app’s user', async () => {
    process.env.PAAS_TEST_BUILD_SECRET = 'do-not-leak-me';
    try {
      const provider = createLocalProvider({ dataDir });
      const { jobRef } = await provider.startImageBuild(build(slowSha));
      const runner = JSON.parse(await readFile(localDataLayout(dataDir).image(jobRef).runner, 'utf8')) as { pid: number };
      // `nice` lowers its own priority, then execs the runner: read the stat
      // once that has happened, not in the instant right after spawn.
      const readStat = async () => (await readFile(`/proc/${runner.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
      let statFields = await readStat();
      for (let i = 0; i < 50 && Number(statFields[16]) !== 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        statFields = await readStat();
      }
      // fields after the command: state ppid pgrp session tty tpgid flags ... priority(16) nice(17)
      expect(Number(statFields[2])).toBe(runner.pid); // process group leader
      expect(Number(statFields[3])).toBe(runner.pid); // session leader: no terminal signals from the caller
      expect(Number(statFields[16])).toBe(10); // nice
      expect((await waitForBuild(provider, jobRef)).state).toBe('succeeded');
      const log = await readWholeBuildLog(provider, jobRef);
      expect(log).toContain('secret is []');
      expect(log).not.toContain('do-not-leak-me');
      if (process.getuid?.() === 0) {
        // The image belongs to the app's user, not to the platform's.
        expect((await stat(localDataLayout(dataDir).image(jobRef).app)).uid).not.toBe(0);
      }
    } finally {
      delete process.env.PAAS_TEST_BUILD_SECRET;
    }
  }, 60_000);

  it('cancels a running build: stops its processes and frees the half-built image', async () => {
    const provider = createLocalProvider({ dataDir, stopGraceMs: 2_000 });
    const { jobRef } = await provider.startImageBuild(build(slowSha));
    await waitFor('the build step to start', async () => (await readWholeBuildLogSoFar()).includes('npm run build'), 30_000);
    async function readWholeBuildLogSoFar() {
      return (await provider.readImageBuildLog(jobRef, null)).text;
    }
    await provider.cancelImageBuild(jobRef);
    expect(await runners(jobRef)).toEqual([]);
    expect(await provider.getImageBuild(jobRef)).toMatchObject({ state: 'failed', error: 'Build cancelled' });
    await expect(stat(localDataLayout(dataDir).image(jobRef).app)).rejects.toThrow();
    await provider.cancelImageBuild(jobRef);
    await provider.cancelImageBuild(randomUUID());
  }, 60_000);

  it('reports a build whose process was killed as failed, with a clear reason', async () => {
    const provider = createLocalProvider({ dataDir });
    const { jobRef } = await provider.startImageBuild(build(slowSha));
    await waitFor(
      'the build step to start',
      async () => (await provider.readImageBuildLog(jobRef, null)).text.includes('npm run build'),
      30_000,
    );
    const runner = JSON.parse(await readFile(localDataLayout(dataDir).image(jobRef).runner, 'utf8')) as { pid: number };
    process.kill(-runner.pid, 'SIGKILL');
    const status = await waitForBuild(provider, jobRef);
    expect(status.state).toBe('failed');
    expect(status.state === 'failed' && status.error).toMatch(/exited without reporting a result; it was probably killed/);
  }, 60_000);

  it('never takes a build that is just starting for a dead one', async () => {
    // Right after the start the builder execs (nice → node), when its /proc
    // environment may read empty: asking at once must not call it killed.
    const provider = createLocalProvider({ dataDir });
    const started = await Promise.all([1, 2, 3, 4, 5, 6].map(() => provider.startImageBuild(build(slowSha))));
    const first = await Promise.all(started.map(({ jobRef }) => provider.getImageBuild(jobRef)));
    expect(first.map((s) => s.state)).toEqual(started.map(() => 'running'));
    for (const { jobRef } of started) expect((await waitForBuild(provider, jobRef)).state).toBe('succeeded');
  }, 90_000);

  it('reuses the image of a commit built before when a branch resolves to it, without building again', async () => {
    const provider = createLocalProvider({ dataDir });
    const sha = await repo.commit(sampleAppFiles({ text: 'built once' }), 'built once');
    const first = await provider.startImageBuild(build(sha, randomUUID(), 'node-1'));
    const built = await waitForBuild(provider, first.jobRef);
    expect(built.state).toBe('succeeded');
    const byBranch = await provider.startImageBuild(build('main', randomUUID(), 'node-1'));
    const reused = await waitForBuild(provider, byBranch.jobRef);
    expect(reused).toMatchObject({ state: 'succeeded', commitSha: sha });
    expect(reused.state === 'succeeded' && built.state === 'succeeded' && reused.imageRef === built.imageRef).toBe(true);
    const log = await readWholeBuildLog(provider, byBranch.jobRef);
    expect(log).toContain(`-----> Reusing the image built earlier from ${sha.slice(0, 12)}`);
    expect(log).not.toContain('npm ci');
  }, 60_000);

  it('reports a failing build step with the step and exit status', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'x', scripts: { build: 'echo compiling && exit 3' } }), 'broken build');
    const provider = createLocalProvider({ dataDir });
    const { jobRef } = await provider.startImageBuild(build(sha));
    const status = await waitForBuild(provider, jobRef);
    expect(status).toMatchObject({ state: 'failed', error: 'Build failed during "Building with npm run build" (exit status 3)' });
    const log = await readWholeBuildLog(provider, jobRef);
    expect(log).toContain('compiling');
    expect(log).toContain(' !     Build failed during');
  }, 60_000);

  it('refuses what cannot be a build and does not know unknown ones', async () => {
    const provider = createLocalProvider({ dataDir });
    await expect(provider.startImageBuild(build(slowSha, '../escape'))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.startImageBuild(build('main; rm -rf /'))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.startImageBuild(build('../../etc'))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.getImageBuild('no-such-build')).rejects.toMatchObject({ code: 'not_found' });
  });
});

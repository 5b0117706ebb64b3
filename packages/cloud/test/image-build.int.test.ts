import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BareRepo, createBareRepo, sampleAppFiles, waitFor, waitForBuild } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, stopAllLocalProcesses } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { findTaggedProcesses, TAG } from '../src/local/process/proc';

const fixture = fileURLToPath(new URL('./fixtures/start-build-then-hang.ts', import.meta.url));

describe('local image builds', () => {
  let dataDir: string;
  let repo: BareRepo;
  let slowSha: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-builds-'));
    repo = await createBareRepo();
    slowSha = await repo.commit(
      sampleAppFiles({ text: 'slow', scripts: { build: 'echo "secret is [$PAAS_TEST_BUILD_SECRET]" && sleep 3' } }),
      'slow build',
    );
  });

  afterAll(async () => {
    await stopAllLocalProcesses(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    await repo.remove();
  });

  const runners = (buildId: string) => findTaggedProcesses(TAG.build, buildId);

  it('keeps building after the worker that started it is killed, and another process picks up the result', async () => {
    const buildId = 'survives-worker-kill';
    const worker = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, buildId, repo.url, slowSha], {
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
    expect(status.log).toContain('-----> Building with npm run build');
  }, 60_000);

  it('starts one builder however many times and from however many callers it is started', async () => {
    const input = { app: 'once', buildId: 'started-many-times', repoUrl: repo.url, commitSha: slowSha };
    const providers = [createLocalProvider({ dataDir }), createLocalProvider({ dataDir })];
    const refs = await Promise.all([...providers, ...providers].map((p) => p.startImageBuild(input)));
    expect(new Set(refs.map((r) => r.jobRef)).size).toBe(1);
    expect(await runners(input.buildId)).not.toHaveLength(0);
    const status = await waitForBuild(providers[0]!, input.buildId);
    expect(status.state).toBe('succeeded');
    expect(status.log.match(/-----> Fetching/g)).toHaveLength(1);
    await expect(providers[1]!.startImageBuild({ ...input, commitSha: 'a'.repeat(40) })).rejects.toMatchObject({
      code: 'conflict',
    });
  }, 60_000);

  it('runs builds niced, in their own process group, without the caller’s environment', async () => {
    process.env.PAAS_TEST_BUILD_SECRET = 'do-not-leak-me';
    try {
      const provider = createLocalProvider({ dataDir });
      const { jobRef } = await provider.startImageBuild({
        app: 'env',
        buildId: 'clean-env',
        repoUrl: repo.url,
        commitSha: slowSha,
      });
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
      const status = await waitForBuild(provider, jobRef);
      expect(status.log).toContain('secret is []');
      expect(status.log).not.toContain('do-not-leak-me');
    } finally {
      delete process.env.PAAS_TEST_BUILD_SECRET;
    }
  }, 60_000);

  it('cancels a running build: stops its processes and frees the half-built image', async () => {
    const provider = createLocalProvider({ dataDir, stopGraceMs: 2_000 });
    const { jobRef } = await provider.startImageBuild({
      app: 'cancel',
      buildId: 'to-cancel',
      repoUrl: repo.url,
      commitSha: slowSha,
    });
    await waitFor(
      'the build step to start',
      async () => (await provider.getImageBuild(jobRef)).log.includes('npm run build'),
      30_000,
    );
    await provider.cancelImageBuild(jobRef);
    expect(await runners(jobRef)).toEqual([]);
    const status = await provider.getImageBuild(jobRef);
    expect(status).toMatchObject({ state: 'failed', error: 'Build cancelled' });
    await expect(stat(localDataLayout(dataDir).image(jobRef).app)).rejects.toThrow();
    await provider.cancelImageBuild(jobRef);
    await provider.cancelImageBuild('never-started');
  }, 60_000);

  it('reports a build whose process was killed as failed, with a clear reason', async () => {
    const provider = createLocalProvider({ dataDir });
    const { jobRef } = await provider.startImageBuild({
      app: 'killed',
      buildId: 'killed-builder',
      repoUrl: repo.url,
      commitSha: slowSha,
    });
    await waitFor(
      'the build step to start',
      async () => (await provider.getImageBuild(jobRef)).log.includes('npm run build'),
      30_000,
    );
    const runner = JSON.parse(await readFile(localDataLayout(dataDir).image(jobRef).runner, 'utf8')) as { pid: number };
    process.kill(-runner.pid, 'SIGKILL');
    const status = await waitForBuild(provider, jobRef);
    expect(status.state).toBe('failed');
    expect(status.state === 'failed' && status.error).toMatch(/exited without reporting a result; it was probably killed/);
  }, 60_000);

  it('reports a failing build step with the step and exit status', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'x', scripts: { build: 'echo compiling && exit 3' } }), 'broken build');
    const provider = createLocalProvider({ dataDir });
    const { jobRef } = await provider.startImageBuild({
      app: 'broken',
      buildId: 'broken-build',
      repoUrl: repo.url,
      commitSha: sha,
    });
    const status = await waitForBuild(provider, jobRef);
    expect(status).toMatchObject({ state: 'failed', error: 'Build failed during "Building with npm run build" (exit status 3)' });
    expect(status.log).toContain('compiling');
    expect(status.log).toContain(' !     Build failed during');
  }, 60_000);

  it('refuses what cannot be a build and does not know unknown ones', async () => {
    const provider = createLocalProvider({ dataDir });
    await expect(
      provider.startImageBuild({ app: 'x', buildId: '../escape', repoUrl: repo.url, commitSha: slowSha }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      provider.startImageBuild({ app: 'x', buildId: 'bad-sha', repoUrl: repo.url, commitSha: 'main; rm -rf /' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.getImageBuild('no-such-build')).rejects.toMatchObject({ code: 'not_found' });
  });
});

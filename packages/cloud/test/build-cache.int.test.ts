import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DEFINITION } from '@paas/buildpacks';
import type { AppRef, CloudProvider } from '@paas/core';
import {
  type BareRepo,
  createBareRepo,
  httpGet,
  readWholeBuildLog,
  sampleAppWithDependencyFiles,
  waitFor,
  waitForBuild,
  waitForHealthy,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { groupOf, newApp, releaseOf } from './fixtures/local-image';
import { pythonAppFiles } from './fixtures/stack-apps';

const run = promisify(execFile);

const nodeAppFiles = (text: string, greetVersion: string, scripts: Record<string, string> = {}) =>
  sampleAppWithDependencyFiles({ text, greetVersion, scripts });

describe('the dependency cache of an app’s builds', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let repo: BareRepo;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-build-cache-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 20_000, stopGraceMs: 2_000, configKey: randomBytes(32) });
    repo = await createBareRepo();
  });

  afterAll(async () => {
    await removeLocalData(dataDir);
    await repo?.remove();
  });

  // A new definition each time: the same commit may be built again (no image reuse).
  const start = (app: AppRef, sha: string) =>
    provider.startImageBuild({
      app,
      buildId: randomUUID(),
      repoUrl: repo.url,
      ref: sha,
      definition: `${BUILD_DEFINITION}-${randomUUID()}`,
    });
  async function build(app: AppRef, sha: string) {
    const { jobRef } = await start(app, sha);
    const status = await waitForBuild(provider, jobRef);
    return { jobRef, status, log: await readWholeBuildLog(provider, jobRef) };
  }
  const cacheOf = (app: AppRef, kind: string) => join(localDataLayout(dataDir).home(app.id), '.cache', 'paas-build', kind);
  const INSTALLS = '-----> Installing dependencies with npm ci (package-lock.json found)';
  const RESTORES = '-----> Restoring node_modules from the cache (package-lock.json unchanged)';

  it('restores node_modules when the lockfile is unchanged, and installs when it changed', async () => {
    const app = newApp('node-cache');
    const first = await build(app, await repo.commit(await nodeAppFiles('one', '1.0.0'), 'first'));
    expect(first.status.state).toBe('succeeded');
    expect(first.log).toContain(INSTALLS);
    expect(first.log).toContain('Saved to the cache for the next builds');
    expect(first.log).not.toContain(RESTORES);

    // New code, same dependencies: no npm ci.
    const second = await build(app, await repo.commit(await nodeAppFiles('two', '1.0.0'), 'same lockfile'));
    expect(second.status.state).toBe('succeeded');
    expect(second.log).toContain(RESTORES);
    expect(second.log).not.toContain('npm ci');
    const image = localDataLayout(dataDir).image(second.jobRef).app;
    const { stdout } = await run(process.execPath, ['-e', 'console.log(require("greet")("you"))'], { cwd: image });
    expect(stdout.trim()).toBe('hello you from greet 1.0.0');

    // Another dependency version: the lockfile changes, the cache misses.
    const third = await build(app, await repo.commit(await nodeAppFiles('three', '1.0.1'), 'new lockfile'));
    expect(third.status.state).toBe('succeeded');
    expect(third.log).toContain(INSTALLS);
    expect(third.log).not.toContain(RESTORES);
    expect((await readdir(cacheOf(app, 'node_modules'))).filter((e) => !e.startsWith('.'))).toHaveLength(2);
  }, 60_000);

  it('never uses an entry whose writer was killed mid-write', async () => {
    const app = newApp('node-cache-kill');
    // A root postinstall (npm ci runs it) fills node_modules with enough files that saving them takes a while.
    const filler = `node -e "const fs=require('fs');fs.mkdirSync('node_modules/.filler',{recursive:true});for(let i=0;i<20000;i++)fs.writeFileSync('node_modules/.filler/f'+i,'x')"`;
    const sha = await repo.commit(await nodeAppFiles('kill', '1.0.0', { postinstall: filler }), 'big node_modules');
    const cache = cacheOf(app, 'node_modules');

    const { jobRef } = await start(app, sha);
    await waitFor(
      'the build to start writing its cache entry',
      async () => {
        const entries = await readdir(cache).catch(() => [] as string[]);
        for (const tmp of entries.filter((e) => e.startsWith('.tmp.'))) {
          if ((await readdir(join(cache, tmp)).catch(() => [] as string[])).includes('data')) return true;
        }
        return false;
      },
      45_000,
      5,
    );
    const runner = JSON.parse(await readFile(localDataLayout(dataDir).image(jobRef).runner, 'utf8')) as { pid: number };
    process.kill(-runner.pid, 'SIGKILL');
    expect((await waitForBuild(provider, jobRef)).state).toBe('failed');
    const left = await readdir(cache);
    expect(left.filter((e) => !e.startsWith('.'))).toEqual([]); // no entry, only the half-written temporary

    const next = await build(app, sha);
    expect(next.status.state).toBe('succeeded');
    expect(next.log).toContain(INSTALLS);
    expect(next.log).not.toContain(RESTORES);
    // That build's own entry is whole and used.
    const after = await build(app, sha);
    expect(after.log).toContain(RESTORES);
    expect(after.log).toContain('Running the postinstall script, as npm ci would');
    expect(after.status.state).toBe('succeeded');
  }, 60_000);

  it('restores the virtualenv when requirements.txt is unchanged, still reinstalling changed local packages', async () => {
    const app = newApp('python-cache');
    const first = await build(app, await repo.commit(pythonAppFiles('python v1'), 'python v1'));
    expect(first.status.state).toBe('succeeded');
    expect(first.log).toContain('-----> Creating a virtualenv in .venv');

    const second = await build(app, await repo.commit(pythonAppFiles('python v2'), 'python v2'));
    expect(second.log).toContain('-----> Restoring the virtualenv from the cache (requirements.txt unchanged)');
    expect(second.log).not.toContain('Creating a virtualenv');
    expect(second.log).toContain('Successfully installed greeting-1.0.0');
    if (second.status.state !== 'succeeded') throw new Error(second.log);
    // The restored virtualenv works where it now is, with this commit's local package.
    const rel = await releaseOf(provider, app, second.status.imageRef, { web: 'python -m app' });
    const { ref } = await groupOf(provider, app, rel, 'web', 1);
    const url = `http://${(await waitForHealthy(provider, ref, 1)).instances[0]?.address}`;
    expect((await httpGet(`${url}/`)).body).toBe('python v2');
    expect((await httpGet(`${url}/__python`)).body).toBe(join(localDataLayout(dataDir).image(second.jobRef).app, '.venv'));
    const pip = await readFile(join(localDataLayout(dataDir).image(second.jobRef).app, '.venv', 'bin', 'pip'), 'utf8');
    expect(pip.split('\n')[0]).toBe(`#!${localDataLayout(dataDir).image(second.jobRef).app}/.venv/bin/python3`);
    await provider.destroyServerGroup(ref);
  }, 60_000);
});

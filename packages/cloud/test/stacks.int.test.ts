import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_DEFINITION } from '@paas/buildpacks';
import type { CloudProvider, ImageBuildStatus } from '@paas/core';
import { type BareRepo, createBareRepo, httpGet, readWholeBuildLog, waitForBuild, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { groupOf, newApp, releaseOf } from './fixtures/local-image';
import { goAppFiles, pythonAppFiles, staticSiteFiles } from './fixtures/stack-apps';

// Python, Go and static sites, built by the local builder and run by the
// supervisor for real; their dependencies are local packages (no index).
describe('building and running apps of every stack', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let repo: BareRepo;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-stacks-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 20_000, stopGraceMs: 2_000, configKey: randomBytes(32) });
    repo = await createBareRepo();
  });

  afterAll(async () => {
    await removeLocalData(dataDir);
    await repo?.remove();
  });

  async function build(files: Record<string, string>, message: string) {
    const app = newApp(message.replaceAll(' ', '-'));
    const sha = await repo.commit(files, message);
    const { jobRef } = await provider.startImageBuild({
      app,
      buildId: randomUUID(),
      repoUrl: repo.url,
      ref: sha,
      definition: BUILD_DEFINITION,
    });
    const status = await waitForBuild(provider, jobRef);
    return { app, status, log: await readWholeBuildLog(provider, jobRef) };
  }

  /** Runs the image's web process and returns its base URL, once it is healthy. */
  async function run(app: ReturnType<typeof newApp>, status: ImageBuildStatus, config: Record<string, string> = {}) {
    if (status.state !== 'succeeded') throw new Error(`the build failed: ${JSON.stringify(status)}`);
    const rel = await releaseOf(provider, app, status.imageRef, { web: status.processes.web as string }, config);
    const { ref } = await groupOf(provider, app, rel, 'web', 1);
    const info = await waitForHealthy(provider, ref, 1);
    return { url: `http://${info.instances[0]?.address}`, ref };
  }

  it('builds a Python app into a virtualenv with its local package, and runs it from the Procfile', async () => {
    const { app, status, log } = await build(pythonAppFiles('hello from python'), 'python app');
    expect(status).toMatchObject({ state: 'succeeded', stack: 'python', processes: { web: 'python -m app' } });
    expect(log).toContain('-----> Python app detected');
    expect(log).toContain('-----> Creating a virtualenv in .venv');
    expect(log).toContain('Successfully installed greeting-1.0.0');
    const { url, ref } = await run(app, status, { GREETING_MODE: 'loud' });
    expect(await httpGet(`${url}/`)).toMatchObject({ status: 200, body: 'hello from python' });
    const venv = (await httpGet(`${url}/__python`)).body;
    expect(venv).toMatch(/\/app\/\.venv$/);
    expect((await httpGet(`${url}/__env/VIRTUAL_ENV`)).body).toBe(venv);
    expect((await httpGet(`${url}/__env/PYTHONUNBUFFERED`)).body).toBe('1');
    expect((await httpGet(`${url}/__env/PATH`)).body.split(':')[0]).toBe(`${venv}/bin`);
    expect((await httpGet(`${url}/__env/GREETING_MODE`)).body).toBe('loud');
    await provider.destroyServerGroup(ref);
  }, 60_000);

  it('builds a Go module with a local module (replace directive) into bin/, and runs ./bin/<name>', async () => {
    const { app, status, log } = await build(goAppFiles('hello from go'), 'go app');
    expect(status).toMatchObject({ state: 'succeeded', stack: 'go', processes: { web: './bin/hello' } });
    expect(log).toContain('-----> Go app detected (module example.com/hello)');
    expect(log).toContain('-----> Building with go build -o bin/ ./...');
    const { url, ref } = await run(app, status);
    expect(await httpGet(`${url}/`)).toMatchObject({ status: 200, body: 'hello from go' });
    expect((await httpGet(`${url}/__env/WEB_CONCURRENCY`)).body).toBe('1');
    expect((await httpGet(`${url}/__env/PATH`)).body.split(':')[0]).toMatch(/\/app\/bin$/);
    await provider.destroyServerGroup(ref);
  }, 60_000);

  it('serves a static site with the platform’s file server, never its own files', async () => {
    const { app, status, log } = await build(staticSiteFiles(), 'static site');
    expect(status).toMatchObject({ state: 'succeeded', stack: 'static', processes: { web: 'node .paas/static-server.mjs .' } });
    expect(log).toContain('-----> Static site detected (serving the root of the repository)');
    const { url, ref } = await run(app, status);
    const home = await httpGet(`${url}/`);
    expect(home).toMatchObject({ status: 200, body: '<!doctype html><h1>static home</h1>' });
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await httpGet(`${url}/about`)).toMatchObject({ status: 200, body: '<!doctype html><h1>about us</h1>' });
    expect((await httpGet(`${url}/css/site.css`)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect(await httpGet(`${url}/missing`)).toMatchObject({ status: 404, body: '<!doctype html><h1>not here</h1>' });
    for (const path of ['/.paas/static-server.mjs', '/.paas/stack', '/../build.json']) {
      expect((await httpGet(`${url}${path}`)).status).toBe(404);
    }
    await provider.destroyServerGroup(ref);
  }, 60_000);

  it('fails a repository with no app it recognises, saying what it looked for', async () => {
    const { status, log } = await build({ 'README.md': '# just notes\n', 'notes/index.html': '' }, 'nothing to build');
    const message =
      'Cannot tell what kind of app this is. Looked at the root of the repository for package.json (Node.js), ' +
      'requirements.txt or pyproject.toml (Python), go.mod (Go), and index.html or public/index.html (a static site); found none.';
    expect(status).toEqual({ state: 'failed', error: message });
    expect(log).toContain(` !     ${message}`);
  }, 60_000);
});

import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudProvider } from '@paas/core';
import { type BareRepo, createBareRepo, httpGet, sampleAppFiles, waitForBuild, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { findUserProcesses } from '../src/local/process/user-processes';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

const exec = promisify(execFile);

// Apps run as users of their own: an app cannot read the platform's processes
// (their environment holds the database URL and keys), the platform's state,
// or another app's files. Switching users needs root, as the platform runs
// when it isolates apps; this test runs as the platform would.
describe('app isolation', () => {
  let dataDir: string;
  let provider: CloudProvider;
  const first = newApp('first');
  const second = newApp('second');
  let firstUrl: string;
  let secondImage: string;
  let templateRef: string;
  let repo: BareRepo;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'app isolation switches users and needs root: run the tests as root (CI does), as the platform runs in production',
      );
    }
    process.env.PAAS_TEST_PLATFORM_SECRET = 'database-url-and-keys';
    dataDir = await mkdtemp(join(tmpdir(), 'paas-isolation-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000, configKey: randomBytes(32) });
    const firstImage = await writeImage(dataDir, first, sampleAppFiles({ text: 'first' }));
    // The second app is really built: its tree belongs to its own user.
    repo = await createBareRepo();
    const sha = await repo.commit({ ...sampleAppFiles({ text: 'second' }), 'secret.txt': 'second app only' }, 'second');
    const { jobRef } = await provider.startImageBuild({
      app: second,
      buildId: crypto.randomUUID(),
      repoUrl: repo.url,
      ref: sha,
      definition: 'node-1',
    });
    const built = await waitForBuild(provider, jobRef);
    if (built.state !== 'succeeded')
      throw new Error(`the second app did not build: ${built.state === 'failed' ? built.error : ''}`);
    secondImage = built.imageRef;
    const rel = await releaseOf(provider, first, firstImage, { web: 'node server.js' }, { FIRST_SECRET: 'f' });
    templateRef = rel.templateRef;
    const { ref } = await groupOf(provider, first, rel, 'web', 1);
    const [instance] = (await waitForHealthy(provider, ref, 1)).instances;
    firstUrl = `http://${instance?.address}`;
    // The second app runs too, so its user and home exist.
    const rel2 = await releaseOf(provider, second, secondImage, { web: 'node server.js' }, { SECOND_SECRET: 's' });
    const two = await groupOf(provider, second, rel2, 'web', 1);
    await waitForHealthy(provider, two.ref, 1);
  }, 60_000);

  afterAll(async () => {
    delete process.env.PAAS_TEST_PLATFORM_SECRET;
    if (dataDir) await removeLocalData(dataDir);
    await repo?.remove();
  });

  const read = (path: string) => httpGet(`${firstUrl}/__read?path=${encodeURIComponent(path)}`);

  it('runs the app as a user that is not the platform’s', async () => {
    const uid = await read('/proc/self/status');
    expect(uid.status).toBe(200);
    const line = uid.body.split('\n').find((l) => l.startsWith('Uid:'));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/^Uid:\s+0\s/);
  });

  it('cannot read the platform’s environment', async () => {
    const res = await read(`/proc/${process.pid}/environ`);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('database-url-and-keys');
  });

  it('cannot read the platform’s state: templates, sealed config, routes, logs', async () => {
    const paths = localDataLayout(dataDir);
    for (const path of [
      paths.template(templateRef),
      paths.config(first.id, 1),
      paths.config(second.id, 1),
      paths.groups,
      paths.logs,
    ]) {
      expect((await read(path)).status, path).toBe(403);
    }
    expect((await readdir(paths.configs)).length).toBeGreaterThan(0);
  });

  it('cannot read another app’s source or home', async () => {
    const image = localDataLayout(dataDir).image(secondImage).app;
    expect((await read(join(image, 'secret.txt'))).status).toBe(403);
    expect((await read(join(image, 'server.js'))).status).toBe(403);
    expect((await read(join(localDataLayout(dataDir).home(second.id), '.npm'))).status).toBe(403);
  });

  it('deleting an app stops what it left running outside its process group and environment, then deletes its user', async () => {
    // Without cgroups (a machine that has none), where no cgroup holds the
    // app's processes: its user is what still tells them apart.
    const plainDir = await mkdtemp(join(tmpdir(), 'paas-isolation-plain-'));
    const provider = createLocalProvider({
      dataDir: plainDir,
      cgroups: 'off',
      healthTimeoutMs: 10_000,
      stopGraceMs: 2_000,
      configKey: randomBytes(32),
    });
    const escaper = newApp('escaper');
    // The app starts a process in a session of its own with an empty
    // environment: neither its process group nor the platform's tag finds it.
    const server = [
      "const { spawn } = require('node:child_process');",
      "spawn('setsid', ['env', '-i', 'sleep', '1000'], { detached: true, stdio: 'ignore' }).unref();",
      "require('node:http').createServer((req, res) => res.end('escaper')).listen(Number(process.env.PORT));",
    ].join('\n');
    const image = await writeImage(plainDir, escaper, { 'package.json': '{"name":"escaper"}', 'server.js': server });
    const rel = await releaseOf(provider, escaper, image, { web: 'node server.js' }, {});
    const { ref } = await groupOf(provider, escaper, rel, 'web', 1);
    await waitForHealthy(provider, ref, 1);
    const user = JSON.parse(await readFile(localDataLayout(plainDir).user(escaper.id), 'utf8')) as { name: string; uid: number };
    const sleepers = async () => (await findUserProcesses(user.uid)).length;
    expect(await sleepers()).toBeGreaterThan(1); // the app and the escaped sleep

    await provider.teardownApp(escaper);
    expect(await sleepers()).toBe(0);
    await expect(exec('getent', ['passwd', user.name])).rejects.toThrow();

    // A user made just before a crash, whose record was never written, goes with the data dir too.
    const orphan = `paas-${randomBytes(8).toString('hex')}`;
    const home = join(localDataLayout(plainDir).homes, randomUUID());
    await exec('useradd', ['--system', '--home-dir', home, '--shell', '/usr/sbin/nologin', orphan]);
    await removeLocalData(plainDir);
    await expect(exec('getent', ['passwd', orphan])).rejects.toThrow();
  });
});

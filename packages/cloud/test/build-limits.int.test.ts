import { randomUUID } from 'node:crypto';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRef, CloudProvider } from '@paas/core';
import { type BareRepo, createBareRepo, readWholeBuildLog, sampleAppFiles, waitFor, waitForBuild } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { buildCgroupName } from '../src/local/limits/build-cgroup';
import { type Cgroup, cgroupOf, removeDataDirCgroups } from '../src/local/limits/cgroup';
import { type CgroupSupport, detectCgroups } from '../src/local/limits/detect-cgroups';
import type { BuildLimits } from '../src/local/limits/limits-config';
import { findTaggedProcesses, TAG } from '../src/local/process/proc';

const MiB = 1024 * 1024;

// A build that runs too long, writes too much or uses too much memory fails
// with a message saying which limit, leaves nothing running and no partial
// image. CI runs as root with cgroups: without them this is a failure, not a skip.
describe('build resource limits', () => {
  let dataDir: string;
  let repo: BareRepo;
  let support: CgroupSupport;
  const app: AppRef = { id: randomUUID(), name: 'build-limits' };

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('build limits need root (cgroups, app users): run the tests as root, as CI does');
    support = await detectCgroups();
    if (support.kind === 'none') {
      throw new Error(`no usable cgroups on this machine (${support.reason}); CI runs these tests as root with cgroups`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'paas-build-limits-'));
    repo = await createBareRepo();
  });

  afterAll(async () => {
    if (dataDir) {
      await removeLocalData(dataDir);
      await removeDataDirCgroups(support, localDataLayout(dataDir).root);
    }
    await repo?.remove();
  });

  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );

  /** Builds a commit whose build script is `script`, with the given limits; returns the outcome and the log. */
  async function buildWith(script: string, limits: Partial<BuildLimits>) {
    const provider: CloudProvider = createLocalProvider({ dataDir, stopGraceMs: 1_000, buildLimits: limits });
    const sha = await repo.commit(sampleAppFiles({ text: 'limited', scripts: { build: script } }), script);
    const buildId = randomUUID();
    await provider.startImageBuild({ app, buildId, repoUrl: repo.url, ref: sha, definition: randomUUID() });
    const status = await waitForBuild(provider, buildId);
    const log = await readWholeBuildLog(provider, buildId);
    return { buildId, status, log, error: status.state === 'failed' ? status.error : `(build ${status.state})\n${log}` };
  }

  /** Nothing of the build runs any more, its cgroup is gone and (for a failed build) so is its partial image. */
  async function expectCleanedUp(buildId: string, { failed } = { failed: true }) {
    await waitFor(
      'the build’s processes to be gone',
      async () => (await findTaggedProcesses(TAG.build, buildId)).length === 0,
      10_000,
    );
    const cgroup = cgroupOf(support, localDataLayout(dataDir).root, buildCgroupName(buildId)) as Cgroup;
    for (const dir of cgroup.dirs) await waitFor(`${dir} to be removed`, async () => !(await exists(dir)), 10_000);
    if (failed) expect(await exists(localDataLayout(dataDir).image(buildId).app)).toBe(false);
  }

  it('fails a build that exceeds its time limit, and leaves nothing running', async () => {
    // `sleep` in the background too: a child that outlives its script must not survive the build.
    const { buildId, status, log, error } = await buildWith('(sleep 600 &) ; sleep 600', { timeoutMs: 6_000 });
    expect(status.state, error).toBe('failed');
    expect(error).toBe('Build exceeded its time limit of 6 s');
    expect(log).toContain('Build exceeded its time limit of 6 s');
    await expectCleanedUp(buildId);
  }, 45_000);

  it('fails a build that writes beyond its disk limit', async () => {
    const { buildId, status, log, error } = await buildWith('head -c 200000000 /dev/zero > fill.bin; sleep 600', {
      diskBytes: 20 * MiB,
      diskCheckIntervalMs: 300,
    });
    expect(status.state, error).toBe('failed');
    expect(error).toMatch(/^Build exceeded its disk limit of 20 MB \(used \d+ MB\)$/);
    expect(log).toContain('Build exceeded its disk limit of 20 MB');
    await expectCleanedUp(buildId);
  }, 45_000);

  it('fails a build killed for using more than its memory', async () => {
    const hog = `node -e "const a = []; setInterval(() => a.push(Buffer.alloc(32 * 1024 * 1024, 1)), 20)"`;
    const { buildId, status, log, error } = await buildWith(hog, { memoryBytes: 400 * MiB });
    expect(status.state, error).toBe('failed');
    expect(error).toBe('Build was killed: out of memory (limit 400 MB)');
    expect(log).toContain('Build was killed: out of memory (limit 400 MB)');
    await expectCleanedUp(buildId);
  }, 45_000);

  it('builds normally within the limits, and removes its cgroup', async () => {
    const { buildId, status, error } = await buildWith('echo built', { timeoutMs: 60_000, diskBytes: 100 * MiB });
    expect(status.state, error).toBe('succeeded');
    await expectCleanedUp(buildId, { failed: false });
  }, 45_000);
});

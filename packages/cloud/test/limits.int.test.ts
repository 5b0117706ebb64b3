import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudProvider, ProcessTemplate } from '@paas/core';
import { describeOne, httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { type Cgroup, cgroupOf, dataDirCgroups, removeDataDirCgroups } from '../src/local/limits/cgroup';
import { type CgroupSupport, detectCgroups } from '../src/local/limits/detect-cgroups';
import { instanceCgroupName } from '../src/local/limits/instance-cgroup';
import { findTaggedProcesses, TAG } from '../src/local/process/proc';
import type { GroupRecord } from '../src/local/state/records';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

const run = promisify(execFile);

// Instances run in cgroups sized from their instance size. This machine (and
// CI) runs the tests as root with cgroups: no cgroups here is a failure, not a skip.
describe('instance resource limits', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let support: CgroupSupport;
  let imageRef: string;
  let canaryUrl: string;
  const app = newApp('limits');
  const configKey = randomBytes(32);
  let version = 0;

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('resource limits need root (cgroups, app users): run the tests as root, as CI does');
    support = await detectCgroups();
    if (support.kind === 'none') {
      throw new Error(`no usable cgroups on this machine (${support.reason}); CI runs these tests as root with cgroups`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'paas-limits-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 1_000, configKey });
    imageRef = await writeImage(dataDir, app, sampleAppFiles({ text: 'canary' }));
    // An app that keeps serving while its neighbours misbehave.
    const { ref } = await group({ web: 'node server.js' }, 'web', 1);
    canaryUrl = `http://${(await waitForHealthy(provider, ref, 1)).instances[0]?.address}`;
  });

  afterAll(async () => {
    if (!dataDir) return;
    await removeLocalData(dataDir);
    await removeDataDirCgroups(support, localDataLayout(dataDir).root);
  });

  async function group(processes: Record<string, string | ProcessTemplate>, processType: string, desired: number) {
    version += 1;
    const rel = await releaseOf(provider, app, imageRef, processes, {}, version);
    return groupOf(provider, app, rel, processType, desired);
  }

  const worker = (command: string, size: ProcessTemplate['size'] = 'small'): ProcessTemplate => ({
    command,
    size,
    healthCheck: null,
  });
  const readGroup = async (ref: string) => JSON.parse(await readFile(localDataLayout(dataDir).group(ref), 'utf8')) as GroupRecord;
  const instanceIds = async (ref: string) => (await readGroup(ref)).instances.map((i) => i.id);
  const cgroupFor = (instanceId: string) =>
    cgroupOf(support, localDataLayout(dataDir).root, instanceCgroupName(instanceId)) as Cgroup;
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  const read = async (dir: string, file: string) => (await readFile(join(dir, file), 'utf8')).trim();

  it('kills an instance that allocates beyond its size’s memory, says so, and its neighbour keeps serving', async () => {
    // Buffers live outside V8's heap, so only the cgroup stops them (not --max-old-space-size).
    const hog = worker(`node -e "const a = []; setInterval(() => a.push(Buffer.alloc(64 * 1024 * 1024, 1)), 20)"`);
    const { ref } = await group({ worker: hog }, 'worker', 1);
    const dead = await waitFor(
      'the memory hog to be killed',
      async () => (await describeOne(provider, ref))?.instances.find((i) => i.health === 'unhealthy'),
      30_000,
    );
    expect(dead.detail).toContain('killed: out of memory (limit 512 MB)');
    expect(dead.detail).toContain('signal 9');
    expect((await httpGet(canaryUrl)).body).toBe('canary');

    await provider.destroyServerGroup(ref);
    // The record goes; the log keeps the reason, and the cgroup is removed.
    const log = await readFile(localDataLayout(dataDir).instanceLog(ref, dead.id), 'utf8');
    expect(log).toContain('paas: killed: out of memory (limit 512 MB)');
    for (const dir of cgroupFor(dead.id).dirs) expect(await exists(dir), dir).toBe(false);
  }, 45_000);

  it('caps the tasks of an instance that tries to start 2000 processes, and the host stays fine', async () => {
    const bomb = worker('i=0; while [ $i -lt 2000 ]; do sleep 300 & i=$((i+1)); done; echo "started them all"; wait');
    const { ref } = await group({ worker: bomb }, 'worker', 1);
    const [id] = await instanceIds(ref);
    if (!id) throw new Error('no instance recorded');
    const cgroup = cgroupFor(id);
    // The kernel refused forks at the limit.
    await waitFor(
      'the pids limit to be hit',
      async () => /^max [1-9]/m.test(await readFile(join(cgroup.pids, 'pids.events'), 'utf8').catch(() => '')),
      30_000,
    );
    const tasks = Number(await read(cgroup.pids, 'pids.current'));
    expect(tasks).toBeLessThanOrEqual(512);
    expect((await findTaggedProcesses(TAG.instance, id)).length).toBeLessThanOrEqual(512);
    // Others can still start processes and serve.
    expect((await run('true')).stderr).toBe('');
    expect((await httpGet(canaryUrl)).body).toBe('canary');

    await provider.destroyServerGroup(ref);
    expect(await findTaggedProcesses(TAG.instance, id)).toEqual([]);
    for (const dir of cgroup.dirs) expect(await exists(dir), dir).toBe(false);
  }, 45_000);

  it('gives an instance its size’s CPU quota, memory and pids limits, from before its command runs', async () => {
    const { ref } = await group({ worker: worker('node -e "setInterval(() => {}, 1000)"', 'large') }, 'worker', 1);
    await waitForHealthy(provider, ref, 1);
    const [instance] = (await readGroup(ref)).instances;
    if (!instance?.pid) throw new Error('no instance process recorded');
    const cgroup = cgroupFor(instance.id);
    if (cgroup.kind === 'v2') {
      expect(await read(cgroup.cpu, 'cpu.max')).toBe('200000 100000');
      expect(await read(cgroup.memory, 'memory.max')).toBe(String(2048 * 1024 * 1024));
    } else {
      expect(await read(cgroup.cpu, 'cpu.cfs_quota_us')).toBe('200000');
      expect(await read(cgroup.cpu, 'cpu.cfs_period_us')).toBe('100000');
      expect(await read(cgroup.memory, 'memory.limit_in_bytes')).toBe(String(2048 * 1024 * 1024));
    }
    expect(await read(cgroup.pids, 'pids.max')).toBe('512');
    // The recorded process is the wrapper that joins the cgroup, then becomes the app's command (same pid):
    // once that command runs (its node child exists), the process is inside, as the app's user, with capped open files.
    const child = await waitFor(
      'the command to start',
      async () => {
        const children = await readFile(`/proc/${instance.pid}/task/${instance.pid}/children`, 'utf8').catch(() => '');
        return Number(children.trim().split(' ')[0]) || null;
      },
      10_000,
    );
    for (const pid of [instance.pid, child]) {
      expect(await readFile(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/${instanceCgroupName(instance.id)}\n`);
      expect((await read(cgroup.pids, 'cgroup.procs')).split('\n')).toContain(String(pid));
    }
    const status = await readFile(`/proc/${instance.pid}/status`, 'utf8');
    expect(status).not.toMatch(/^Uid:\s+0\s/m);
    const openFiles = /^Max open files\s+(\d+)\s+(\d+)/m.exec(await readFile(`/proc/${instance.pid}/limits`, 'utf8'));
    expect(Number(openFiles?.[2])).toBeLessThanOrEqual(65_536);

    await provider.destroyServerGroup(ref);
    for (const dir of cgroup.dirs) expect(await exists(dir), dir).toBe(false);
  }, 30_000);

  it('reconcile removes cgroups this data dir left behind, and no other data dir’s', async () => {
    const root = localDataLayout(dataDir).root;
    const stray = cgroupOf(support, root, instanceCgroupName('g-gone.1.abcdef')) as Cgroup;
    const otherRoot = join(tmpdir(), `paas-limits-other-${randomBytes(4).toString('hex')}`);
    const other = cgroupOf(support, otherRoot, instanceCgroupName('g-gone.1.abcdef')) as Cgroup;
    for (const dir of [...stray.dirs, ...other.dirs]) await mkdir(dir, { recursive: true });
    try {
      await provider.reconcile();
      for (const dir of stray.dirs) expect(await exists(dir), dir).toBe(false);
      for (const dir of other.dirs) expect(await exists(dir), dir).toBe(true);
      expect(dataDirCgroups(support, root)).not.toEqual(dataDirCgroups(support, otherRoot));
    } finally {
      await removeDataDirCgroups(support, otherRoot);
    }
  }, 30_000);

  it('falls back to rlimits when cgroups are off, and still starts the app', async () => {
    const fallback = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 1_000, configKey, cgroups: 'off' });
    version += 1;
    const rel = await releaseOf(fallback, app, imageRef, { web: 'node server.js' }, {}, version);
    const { ref } = await groupOf(fallback, app, rel, 'web', 1);
    await waitForHealthy(fallback, ref, 1);
    const [instance] = (await readGroup(ref)).instances;
    if (!instance?.pid) throw new Error('no instance process recorded');
    // Set by the wrapper before it execs the command: wait for the command (the node child).
    await waitFor(
      'the command to start',
      async () => (await readFile(`/proc/${instance.pid}/task/${instance.pid}/children`, 'utf8')).trim(),
      10_000,
    );
    const limits = await readFile(`/proc/${instance.pid}/limits`, 'utf8');
    // Data memory per process: the size's 512 MB plus room for node itself.
    expect(/^Max data size\s+(\d+)/m.exec(limits)?.[1]).toBe(String((512 + 512) * 1024 * 1024));
    expect(await readFile(`/proc/${instance.pid}/cgroup`, 'utf8')).not.toContain(instanceCgroupName(instance.id));
    await fallback.destroyServerGroup(ref);
  }, 30_000);
});

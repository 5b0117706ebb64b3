import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider } from '@paas/core';
import { capacity, describeOne, httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, removeLocalData, stopAllLocalProcesses } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { findTaggedProcesses, readProcStat, TAG } from '../src/local/process/proc';
import { writeJsonAtomic } from '../src/local/state/atomic-file';
import type { GroupRecord } from '../src/local/state/records';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

describe('local supervisor', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let imageRef: string;
  const sup = newApp('sup');
  const configKey = randomBytes(32);
  let version = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-supervisor-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000, configKey });
    imageRef = await writeImage(dataDir, sup, sampleAppFiles({ text: 'supervised' }));
  });

  afterAll(async () => {
    await removeLocalData(dataDir);
  });

  /** A template + group for one process type; each call is a new release of app "sup". */
  async function group(
    processes: Record<string, string>,
    processType: string,
    desired: number,
    config: Record<string, string> = {},
  ) {
    version += 1;
    const rel = await releaseOf(provider, sup, imageRef, processes, config, version);
    const { ref, input } = await groupOf(provider, sup, rel, processType, desired);
    return { ref, input, templateRef: rel.templateRef };
  }

  const readGroup = async (ref: string) => JSON.parse(await readFile(localDataLayout(dataDir).group(ref), 'utf8')) as GroupRecord;

  /** Instance ids that have at least one live process, read from the processes themselves. */
  async function liveInstanceIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const pid of await findTaggedProcesses(TAG.dataDir, localDataLayout(dataDir).root)) {
      const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
      const match = environ.match(/(?:^|\0)PAAS_INSTANCE_ID=([^\0]+)/);
      if (match?.[1]) ids.add(match[1]);
    }
    return ids;
  }

  it('keeps config vars sealed on disk and gives them, PORT, DYNO and the size to the processes', async () => {
    const { ref, templateRef } = await group({ web: 'node server.js' }, 'web', 1, { API_KEY: 'k-123' });
    const paths = localDataLayout(dataDir);
    expect((await stat(paths.template(templateRef))).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.template(templateRef), 'utf8')).not.toContain('k-123');
    expect(await readFile(paths.config(sup.id, version), 'utf8')).not.toContain('k-123');
    const info = await waitForHealthy(provider, ref, 1);
    const address = info.instances[0]?.address;
    expect((await httpGet(`http://${address}/__env/API_KEY`)).body).toBe('k-123');
    expect((await httpGet(`http://${address}/__env/PORT`)).body).toBe(address?.split(':')[1]);
    expect((await httpGet(`http://${address}/__env/DYNO`)).body).toMatch(/^web\.\d+$/);
    expect((await httpGet(`http://${address}/__env/NODE_ENV`)).body).toBe('production');
    expect((await httpGet(`http://${address}/__env/MEMORY_AVAILABLE`)).body).toBe('512');
    // The caller's environment (here: the test runner's) does not leak into apps.
    expect((await httpGet(`http://${address}/__env/VITEST`)).status).toBe(404);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('describes a crashed instance with its exit status and last log lines, then reconcile replaces it', async () => {
    const { ref } = await group({ web: 'node server.js' }, 'web', 1);
    const [instance] = (await waitForHealthy(provider, ref, 1)).instances;
    await httpGet(`http://${instance?.address}/__crash`);
    const crashed = await waitFor(
      'the crash to show',
      async () => (await describeOne(provider, ref))?.instances.find((i) => i.health === 'unhealthy'),
      10_000,
    );
    expect(crashed.id).toBe(instance?.id);
    expect(crashed.detail).toContain('process exited with status 1');
    expect(crashed.detail).toContain(`listening on ${instance?.address?.split(':')[1]}`);
    await provider.reconcile();
    const replaced = await waitForHealthy(provider, ref, 1);
    expect(replaced.instances[0]?.id).not.toBe(instance?.id);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('backs off restarting an instance that keeps dying young', async () => {
    const { ref } = await group({ web: 'echo boom; exit 2' }, 'web', 1);
    const first = await waitFor(
      'the first crash',
      async () => (await describeOne(provider, ref))?.instances.find((i) => i.health === 'unhealthy'),
      10_000,
    );
    expect(first.detail).toContain('process exited with status 2');
    expect(first.detail).toContain('boom');
    await provider.reconcile(); // first crash: replaced at once
    const second = await waitFor(
      'the replacement to crash',
      async () => (await describeOne(provider, ref))?.instances.find((i) => i.health === 'unhealthy' && i.id !== first.id),
      10_000,
    );
    await provider.reconcile(); // died young again: waits (2 s) before the next try
    const info = await describeOne(provider, ref);
    expect(info?.instances.map((i) => i.id)).toEqual([second.id]);
    const [kept] = (await readGroup(ref)).instances;
    expect(kept?.crashStreak).toBe(1);
    // Reported in the app's own log, with when it comes back.
    const log = await readFile(localDataLayout(dataDir).instanceLog(ref, second.id), 'utf8');
    expect(log).toContain(
      `paas: web.${kept?.seq} crashed: process exited with status 2; restarting it in 2s (2 crashes in a row, each within a minute of starting)`,
    );
    // The platform's note does not hide the exit status from the description.
    expect((await describeOne(provider, ref))?.instances[0]?.detail).toContain('process exited with status 2');
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('counts a live process without a health check (a worker) as healthy without probing HTTP', async () => {
    const { ref } = await group({ worker: 'node -e "setInterval(() => {}, 1000)"' }, 'worker', 2);
    const info = await waitForHealthy(provider, ref, 2);
    expect(info.instances.every((i) => i.health === 'healthy')).toBe(true);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('removes the newest instances first when scaling down, and only they stop', async () => {
    const { ref } = await group({ web: 'node server.js' }, 'web', 3);
    const before = await readGroup(ref);
    await waitForHealthy(provider, ref, 3);
    await provider.setCapacity(ref, capacity(1));
    const after = await readGroup(ref);
    expect(after.instances.map((i) => i.id)).toEqual([before.instances[0]?.id]);
    expect([...(await liveInstanceIds())].filter((id) => id.startsWith(`${ref}.`))).toEqual([before.instances[0]?.id]);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('never trusts or kills a process that reused a recorded pid', async () => {
    const { ref } = await group({ web: 'node server.js' }, 'web', 1);
    const [instance] = (await waitForHealthy(provider, ref, 1)).instances;
    await httpGet(`http://${instance?.address}/__crash`);
    await waitFor('the crash', async () => (await describeOne(provider, ref))?.instances[0]?.health === 'unhealthy', 10_000);

    // A stranger now holds a pid we recorded; its start time is not the one recorded.
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const record = await readGroup(ref);
      const [recorded] = record.instances;
      if (!recorded) throw new Error('no instance recorded');
      recorded.pid = stranger.pid as number;
      await writeJsonAtomic(localDataLayout(dataDir).group(ref), record);

      const described = await describeOne(provider, ref);
      expect(described?.instances[0]?.health).toBe('unhealthy');
      await provider.destroyServerGroup(ref);
      expect(stranger.exitCode).toBeNull();
      expect((await readProcStat(stranger.pid as number))?.state).not.toBe('Z');
    } finally {
      stranger.kill('SIGKILL');
    }
  }, 30_000);

  it('converges to exactly the desired count when two workers ensure and reconcile at once', async () => {
    const other = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000, configKey });
    version += 1;
    const rel = await releaseOf(provider, sup, imageRef, { web: 'node server.js' }, {}, version);
    const input = {
      id: randomUUID(),
      app: sup,
      release: rel.release,
      processType: 'web',
      templateRef: rel.templateRef,
      capacity: capacity(2),
    };
    const refs = await Promise.all([
      provider.ensureServerGroup(input),
      other.ensureServerGroup(input),
      other.ensureServerGroup(input),
    ]);
    const ref = refs[0].ref;
    const info = await waitForHealthy(provider, ref, 2);

    await Promise.all(info.instances.map((i) => httpGet(`http://${i.address}/__crash`)));
    await waitFor(
      'both crashes',
      async () => (await describeOne(provider, ref))?.instances.every((i) => i.health === 'unhealthy'),
      10_000,
    );
    await Promise.all([provider.reconcile(), other.reconcile(), provider.reconcile(), other.reconcile()]);
    await provider.reconcile();
    await waitForHealthy(provider, ref, 2);
    const live = [...(await liveInstanceIds())].filter((id) => id.startsWith(`${ref}.`));
    expect(live).toHaveLength(2);
    await expect(other.ensureServerGroup({ ...input, processType: 'worker' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await provider.destroyServerGroup(ref);
  }, 60_000);

  it('refuses to reuse a group id for another template, and to resize what does not exist', async () => {
    const { input } = await group({ web: 'node server.js' }, 'web', 0);
    const { templateRef: otherTemplate } = await group({ web: 'node server.js' }, 'web', 0);
    await expect(provider.ensureServerGroup({ ...input, templateRef: otherTemplate })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(provider.setCapacity(`g-${randomUUID()}`, capacity(1))).rejects.toMatchObject({ code: 'not_found' });
    await expect(provider.setCapacity('../etc', capacity(1))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.ensureServerGroup({ ...input, id: 'not-an-id' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('stopAllLocalProcesses stops every process started under the dataDir', async () => {
    await group({ web: 'node server.js' }, 'web', 2);
    expect((await liveInstanceIds()).size).toBeGreaterThan(0);
    await stopAllLocalProcesses(dataDir);
    expect(await findTaggedProcesses(TAG.dataDir, localDataLayout(dataDir).root)).toEqual([]);
  }, 30_000);
});

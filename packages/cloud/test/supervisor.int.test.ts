import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider } from '@paas/core';
import { httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, stopAllLocalProcesses } from '../src/index';
import { localDataLayout } from '../src/local/index';
import { findTaggedProcesses, readProcStat, TAG } from '../src/local/process/proc';
import { writeJsonAtomic } from '../src/local/state/atomic-file';
import type { GroupRecord } from '../src/local/state/records';
import { writeImage } from './fixtures/local-image';

describe('local supervisor', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let imageRef: string;
  let version = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-supervisor-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000 });
    imageRef = await writeImage(join(dataDir, 'test-image'), sampleAppFiles({ text: 'supervised' }));
  });

  afterAll(async () => {
    await stopAllLocalProcesses(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A template + group for one process type; each call is a new release of app "sup". */
  async function group(
    processes: Record<string, string>,
    processType: string,
    desired: number,
    env: Record<string, string> = {},
  ) {
    version += 1;
    const { templateRef } = await provider.createReleaseTemplate({
      app: 'sup',
      version,
      imageRef,
      processes,
      env,
      instanceSize: 'small',
    });
    const input = { name: `sup-v${version}-${processType}`, app: 'sup', release: version, processType, templateRef, desired };
    const { ref } = await provider.ensureServerGroup(input);
    return { ref, input, templateRef };
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

  it('keeps config vars in a 0600 template and gives them, PORT and DYNO to the processes', async () => {
    const { ref, templateRef } = await group({ web: 'node server.js' }, 'web', 1, { API_KEY: 'k-123' });
    const mode = (await stat(localDataLayout(dataDir).template(templateRef))).mode & 0o777;
    expect(mode).toBe(0o600);
    const info = await waitForHealthy(provider, ref, 1);
    const address = info.instances[0]?.address;
    expect((await httpGet(`http://${address}/__env/API_KEY`)).body).toBe('k-123');
    expect((await httpGet(`http://${address}/__env/PORT`)).body).toBe(address?.split(':')[1]);
    expect((await httpGet(`http://${address}/__env/DYNO`)).body).toMatch(/^web\.\d+$/);
    expect((await httpGet(`http://${address}/__env/NODE_ENV`)).body).toBe('production');
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
      async () => (await provider.describeServerGroup(ref))?.instances.find((i) => i.health === 'unhealthy'),
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
      async () => (await provider.describeServerGroup(ref))?.instances.find((i) => i.health === 'unhealthy'),
      10_000,
    );
    expect(first.detail).toContain('process exited with status 2');
    expect(first.detail).toContain('boom');
    await provider.reconcile(); // first crash: replaced at once
    const second = await waitFor(
      'the replacement to crash',
      async () => {
        const info = await provider.describeServerGroup(ref);
        return info?.instances.find((i) => i.health === 'unhealthy' && i.id !== first.id);
      },
      10_000,
    );
    await provider.reconcile(); // died young again: waits (2 s) before the next try
    const info = await provider.describeServerGroup(ref);
    expect(info?.instances.map((i) => i.id)).toEqual([second.id]);
    expect((await readGroup(ref)).instances[0]?.crashStreak).toBe(1);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('counts a live non-web process as healthy without probing HTTP', async () => {
    const { ref } = await group({ worker: 'node -e "setInterval(() => {}, 1000)"' }, 'worker', 2);
    const info = await waitForHealthy(provider, ref, 2);
    expect(info.instances.every((i) => i.health === 'healthy')).toBe(true);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('removes the newest instances first when scaling down, and only they stop', async () => {
    const { ref } = await group({ web: 'node server.js' }, 'web', 3);
    const before = await readGroup(ref);
    await waitForHealthy(provider, ref, 3);
    await provider.resizeServerGroup(ref, 1);
    const after = await readGroup(ref);
    expect(after.instances.map((i) => i.id)).toEqual([before.instances[0]?.id]);
    expect([...(await liveInstanceIds())].filter((id) => id.startsWith(`${ref}.`))).toEqual([before.instances[0]?.id]);
    await provider.destroyServerGroup(ref);
  }, 30_000);

  it('never trusts or kills a process that reused a recorded pid', async () => {
    const { ref } = await group({ web: 'node server.js' }, 'web', 1);
    const [instance] = (await waitForHealthy(provider, ref, 1)).instances;
    await httpGet(`http://${instance?.address}/__crash`);
    await waitFor(
      'the crash',
      async () => (await provider.describeServerGroup(ref))?.instances[0]?.health === 'unhealthy',
      10_000,
    );

    // A stranger now holds a pid we recorded, with a start time we would accept.
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const strangerStat = await readProcStat(stranger.pid as number);
      const record = await readGroup(ref);
      const [recorded] = record.instances;
      if (!recorded) throw new Error('no instance recorded');
      recorded.pid = stranger.pid as number;
      recorded.startTime = strangerStat?.startTime ?? null;
      await writeJsonAtomic(localDataLayout(dataDir).group(ref), record);

      const described = await provider.describeServerGroup(ref);
      expect(described?.instances[0]?.health).toBe('unhealthy');
      await provider.destroyServerGroup(ref);
      expect(stranger.exitCode).toBeNull();
      expect((await readProcStat(stranger.pid as number))?.state).not.toBe('Z');
    } finally {
      stranger.kill('SIGKILL');
    }
  }, 30_000);

  it('converges to exactly the desired count when two workers ensure and reconcile at once', async () => {
    const other = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000 });
    version += 1;
    const { templateRef } = await provider.createReleaseTemplate({
      app: 'sup',
      version,
      imageRef,
      processes: { web: 'node server.js' },
      env: {},
      instanceSize: 'small',
    });
    const input = { name: `sup-v${version}-web`, app: 'sup', release: version, processType: 'web', templateRef, desired: 2 };
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
      async () => (await provider.describeServerGroup(ref))?.instances.every((i) => i.health === 'unhealthy'),
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

  it('refuses to reuse a group name for another release, and to resize what does not exist', async () => {
    const { input } = await group({ web: 'node server.js' }, 'web', 0);
    const { templateRef: otherTemplate } = await group({ web: 'node server.js' }, 'web', 0);
    await expect(provider.ensureServerGroup({ ...input, templateRef: otherTemplate })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(provider.resizeServerGroup('sup-v999-web', 1)).rejects.toMatchObject({ code: 'not_found' });
    await expect(provider.resizeServerGroup(input.name, -1)).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('stopAllLocalProcesses stops every process started under the dataDir', async () => {
    await group({ web: 'node server.js' }, 'web', 2);
    expect((await liveInstanceIds()).size).toBeGreaterThan(0);
    await stopAllLocalProcesses(dataDir);
    expect(await findTaggedProcesses(TAG.dataDir, localDataLayout(dataDir).root)).toEqual([]);
  }, 30_000);
});

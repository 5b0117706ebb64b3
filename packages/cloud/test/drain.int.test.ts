import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider, Logger } from '@paas/core';
import { capacity, describeOne, httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, type RunningRouter, removeLocalData, startRouter } from '../src/index';
import { layout } from '../src/local/state/layout';
import type { GroupRecord } from '../src/local/state/records';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

const DRAIN_TIMEOUT_MS = 6_000;
const STOP_GRACE_MS = 1_500;

// Instances leave the router's rotation before they are stopped, and are
// stopped only once what was in flight to them has finished: the drain an
// ALB does before it deregisters a target.
describe('draining instances that leave the rotation', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let router: RunningRouter;
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const log: Logger = {
    info() {},
    error() {},
    warn: (message, fields) => warnings.push({ message, ...(fields ? { fields } : {}) }),
  };
  const host = 'drain.localhost';
  const app = newApp('drain');
  let version = 0;

  async function group(text: string, desired: number, files: Record<string, string> = {}, command = 'node server.js') {
    const imageRef = await writeImage(dataDir, app, sampleAppFiles({ text, files }));
    const rel = await releaseOf(provider, app, imageRef, { web: command }, {}, ++version);
    const { ref } = await groupOf(provider, app, rel, 'web', desired);
    await provider.registerServerGroup(app, ref);
    await waitForHealthy(provider, ref, desired);
    return ref;
  }
  const route = (serverGroupRef: string | null) => provider.switchTraffic({ app, hostnames: [host], serverGroupRef });
  const readGroup = async (ref: string) =>
    JSON.parse(await readFile(layout(dataDir).group(ref), 'utf8').catch(() => 'null')) as GroupRecord | null;

  /** A GET through the router on a connection of its own; a failure is an answer with status 0. */
  function get(path: string) {
    return httpGet(`${router.url}${path}`, { host }, 10_000).then(
      (res) => res,
      (error: Error) => ({ status: 0, body: error.message, headers: {} }),
    );
  }
  /** The same on a keep-alive connection of `agent`. */
  function keepAliveGet(agent: Agent, path: string) {
    return new Promise<{ status: number; body: string }>((resolve) => {
      const req = request(`${router.url}${path}`, { agent, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (error) => resolve({ status: 0, body: error.message }));
      });
      req.on('error', (error) => resolve({ status: 0, body: error.message }));
      req.end();
    });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-drain-'));
    provider = createLocalProvider({
      dataDir,
      healthTimeoutMs: 10_000,
      stopGraceMs: STOP_GRACE_MS,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      configKey: randomBytes(32),
      log,
    });
    router = await startRouter({ dataDir, port: 0 });
  }, 30_000);

  afterAll(async () => {
    await router?.close();
    await removeLocalData(dataDir);
  });

  it('lets requests in flight finish when their instances are scaled away, and keeps serving meanwhile', async () => {
    warnings.length = 0;
    const ref = await group('three', 3);
    await route(ref);
    await waitFor('routed', async () => (await get('/')).body === 'three', 5_000, 20);

    // Long requests on every instance (round-robin), then a scale-down while they run.
    const slow = Array.from({ length: 6 }, () => get('/__slow/2000'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let scaling = true;
    const quick: Array<{ status: number; body: string }> = [];
    const traffic = (async () => {
      while (scaling) quick.push(await keepAliveGet(agent, '/'));
    })();
    await provider.setCapacity(ref, capacity(1));
    const afterScaleDown = await Promise.all(slow);
    scaling = false;
    await traffic;
    agent.destroy();

    expect(afterScaleDown.map((res) => `${res.status} ${res.body}`)).toEqual(Array(6).fill('200 slow three'));
    expect(quick.length).toBeGreaterThan(0);
    expect(quick.filter((res) => res.status !== 200)).toEqual([]);
    const info = await describeOne(provider, ref);
    expect(info?.instances).toHaveLength(1);
    // Drained, not timed out: the router closed its idle keep-alive connections to them.
    expect(warnings).toEqual([]);
  }, 30_000);

  it('lets a long request finish on the release it started on, across a switch to a new one', async () => {
    warnings.length = 0;
    const before = await group('before', 1);
    await route(before);
    await waitFor('routed', async () => (await get('/')).body === 'before', 5_000, 20);
    const inFlight = get('/__slow/2000');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await group('after', 1);
    await route(after);
    await provider.disableServerGroup(before);
    await provider.destroyServerGroup(before);
    // Answered by the release it started on, not retried on the new one.
    expect(await inFlight).toMatchObject({ status: 200, body: 'slow before' });
    expect((await get('/')).body).toBe('after');
    expect(warnings).toEqual([]);
  }, 30_000);

  it('keeps a WebSocket to a retiring instance open until the drain timeout, then stops the instance', async () => {
    const ref = await group('socket', 1);
    await route(ref);
    await waitFor('routed', async () => (await get('/')).body === 'socket', 5_000, 20);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request(`${router.url}/socket`, {
        agent: false,
        headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' },
      });
      req.on('upgrade', (_res, upgraded: Socket) => resolve(upgraded));
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const echo = (text: string) =>
      new Promise<string>((resolve) => {
        socket.once('data', (data: Buffer) => resolve(data.toString()));
        socket.write(text);
      });

    warnings.length = 0;
    const destroyed = provider.destroyServerGroup(ref);
    await waitFor('marked stopping', async () => (await readGroup(ref))?.instances.every((i) => i.stopping) === true, 5_000, 20);
    // Out of the rotation, still alive for the connection it has.
    expect(await echo('still there')).toBe('still there');
    await destroyed;
    await closed;
    expect(warnings.map((w) => w.message)).toContain('drain timed out; stopping instances with connections still open');
    expect(await readGroup(ref)).toMatchObject({ destroyed: true, instances: [] });
  }, 30_000);

  it('kills an app that ignores SIGTERM after the grace period, and its log says so', async () => {
    const stubborn = `require('node:http').createServer((req, res) => res.end('stubborn')).listen(Number(process.env.PORT));
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
`;
    const ref = await group('unused', 1, { 'stubborn.js': stubborn }, 'node stubborn.js');
    const [instance] = (await readGroup(ref))?.instances ?? [];
    if (instance === undefined) throw new Error('no instance');
    await provider.destroyServerGroup(ref);
    const text = await readFile(layout(dataDir).instanceLog(ref, instance.id), 'utf8');
    expect(text).toContain('ignoring SIGTERM');
    expect(text).toContain(`still running ${Math.round(STOP_GRACE_MS / 1000)}s after SIGTERM: stopped with SIGKILL`);
    expect(warnings.map((w) => w.message)).toContain('instance did not stop on SIGTERM; killed');
    await expect(waitFor('gone', async () => !(await isAlive(instance.pid)), 2_000, 20)).resolves.toBe(true);
  }, 30_000);
});

async function isAlive(pid: number | null): Promise<boolean> {
  if (pid === null) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/\) [ZX] /.test(stat);
}

import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider } from '@paas/core';
import { capacity, describeOne, httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, type RunningRouter, removeLocalData, startRouter } from '../src/index';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

describe('local router', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let router: RunningRouter;
  let blue: string;
  let green: string;
  const host = 'shop.localhost';
  const shop = newApp('shop');

  async function release(version: number, text: string, desired: number): Promise<string> {
    const imageRef = await writeImage(dataDir, shop, sampleAppFiles({ text }));
    const rel = await releaseOf(provider, shop, imageRef, { web: 'node server.js' }, {}, version);
    const { ref } = await groupOf(provider, shop, rel, 'web', desired);
    await provider.registerServerGroup(shop, ref);
    return ref;
  }

  const route = (serverGroupRef: string | null, hostnames = [host]) =>
    provider.switchTraffic({ app: shop, hostnames, serverGroupRef });

  const get = (path = '/', headers: Record<string, string> = {}) => httpGet(`${router.url}${path}`, { host, ...headers });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-router-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000, configKey: randomBytes(32) });
    [blue, green] = await Promise.all([release(1, 'blue', 2), release(2, 'green', 1)]);
    await Promise.all([waitForHealthy(provider, blue, 2), waitForHealthy(provider, green, 1)]);
    await route(blue, provider.defaultHostnames('shop'));
    router = await startRouter({ dataDir, port: 0 });
  }, 30_000);

  afterAll(async () => {
    await router?.close();
    await removeLocalData(dataDir);
  });

  it('routes by Host header (port, case and trailing dot ignored) and says so in a via header', async () => {
    const res = await get('/', { host: `SHOP.localhost.:${router.port}` });
    expect(res).toMatchObject({ status: 200, body: 'blue' });
    expect(res.headers.via).toContain('paas-router');
  });

  it('answers 404 with a short page for a host no app is routed for', async () => {
    const res = await get('/', { host: 'nope.localhost' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('No app is routed for nope.localhost');
  });

  it('round-robins across the healthy instances', async () => {
    const ports = new Set<string>();
    for (let i = 0; i < 6; i++) ports.add((await get('/__env/PORT')).body);
    expect(ports.size).toBe(2);
  });

  it('sets X-Forwarded-For (appended), -Proto, -Host and -Port', async () => {
    const res = await get('/__headers', { 'x-forwarded-for': '203.0.113.7' });
    const headers = JSON.parse(res.body) as Record<string, string>;
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(host);
    expect(headers['x-forwarded-port']).toBe(String(router.port));
    expect(headers['x-request-id']).toBeTruthy();
    expect(headers.host).toBe(host);
  });

  it('keeps client connections alive across requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const reused: boolean[] = [];
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = request(`${router.url}/`, { agent, headers: { host } }, (res) => {
            reused.push(req.reusedSocket);
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        });
      }
      expect(reused).toEqual([false, true, true]);
    } finally {
      agent.destroy();
    }
  });

  it('streams request and response bodies', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = 80; // 5 MiB, sent in pieces without a content-length
    const received = await new Promise<number>((resolve, reject) => {
      const req = request(`${router.url}/__echo`, { method: 'POST', agent: false, headers: { host } }, (res) => {
        let size = 0;
        res.on('data', (data: Buffer) => {
          size += data.length;
        });
        res.on('end', () => resolve(size));
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < chunks) {
          sent += 1;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(received).toBe(chunk.length * chunks);
  });

  it('closes gracefully: a request in flight is answered, then new connections are refused', async () => {
    const second = await startRouter({ dataDir, port: 0 });
    // An idle keep-alive connection too, which close() ends without waiting for it.
    const agent = new Agent({ keepAlive: true });
    // (Wrapped: a promise resolved with a promise would wait for that one.)
    const { idleSocketClosed } = await new Promise<{ idleSocketClosed: Promise<void> }>((resolve, reject) => {
      const req = request(`${second.url}/`, { agent, headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ idleSocketClosed: new Promise((closed) => req.socket?.once('close', () => closed())) }));
      });
      req.on('error', reject);
      req.end();
    });
    // A request in flight on a keep-alive connection: answered, and told the connection ends.
    const busy = new Agent({ keepAlive: true });
    const inFlight = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      const req = request(`${second.url}/__slow/800`, { agent: busy, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = second.close();
    expect(await inFlight).toEqual({ status: 200, body: 'slow blue', connection: 'close' });
    busy.destroy();
    await closing;
    await idleSocketClosed;
    await expect(httpGet(`${second.url}/`, { host })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    agent.destroy();
  });

  it('proxies WebSocket upgrades', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request(`${router.url}/socket`, {
        agent: false,
        headers: {
          host,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (res, socket) => {
        expect(res.statusCode).toBe(101);
        socket.once('data', (data: Buffer) => {
          socket.destroy();
          resolve(data.toString());
        });
        socket.write('ping');
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('ping');
  });

  it('keeps answering when an instance crashes (retry on connection errors, then health checks)', async () => {
    const info = await describeOne(provider, blue);
    const victim = info?.instances[0];
    await httpGet(`http://${victim?.address}/__crash`);
    await waitFor(
      'the crash',
      async () => (await describeOne(provider, blue))?.instances.some((i) => i.health === 'unhealthy'),
      5_000,
      20,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await get('/')).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await provider.reconcile();
    await waitForHealthy(provider, blue, 2);
  }, 20_000);

  it('switches traffic to another registered server group', async () => {
    await route(green);
    await waitFor('green', async () => (await get('/')).body === 'green', 5_000, 20);
    await route(blue);
    await waitFor('blue again', async () => (await get('/')).body === 'blue', 5_000, 20);
  });

  it('sends nothing to a disabled group, even just after a switch away from it', async () => {
    await route(green);
    await provider.disableServerGroup(blue);
    await waitFor('green only', async () => (await get('/')).body === 'green', 5_000, 20);
    for (let i = 0; i < 10; i++) expect((await get('/')).body).toBe('green');
    await provider.enableServerGroup(blue);
    await route(blue);
    await waitFor('blue again', async () => (await get('/')).body === 'blue', 5_000, 20);
  });

  it('never answers 503 while a route switches to a group whose instances are still starting', async () => {
    // The deployer may switch as soon as it sees instances healthy, before the
    // router's own next probe: the router must not turn that gap into errors.
    const teal = await release(3, 'teal', 1);
    await route(teal);
    const bodies = new Map<string, number>();
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !bodies.has('teal')) {
      const res = await get('/');
      expect(res.status).toBe(200);
      bodies.set(res.body, (bodies.get(res.body) ?? 0) + 1);
    }
    expect(bodies.has('teal')).toBe(true);
    expect([...bodies.keys()].every((b) => b === 'blue' || b === 'teal')).toBe(true);
    await route(blue);
    await provider.destroyServerGroup(teal);
  });

  it('answers 503 with a short page when the app has no healthy instance or is offline', async () => {
    await provider.setCapacity(green, capacity(0));
    await route(green);
    const scaledToZero = await waitFor(
      '503',
      async () => {
        const res = await get('/');
        return res.status === 503 ? res : null;
      },
      3_000,
      20,
    );
    expect(scaledToZero.body).toContain('The app shop has no healthy instances');

    await route(null);
    await waitFor('offline', async () => (await get('/')).status === 503, 3_000, 20);
  });

  it('refuses to give one hostname to two apps', async () => {
    await expect(provider.switchTraffic({ app: newApp('other'), hostnames: [host], serverGroupRef: null })).rejects.toMatchObject(
      {
        code: 'conflict',
      },
    );
  });
});

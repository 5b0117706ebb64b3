import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { type Logger, silentLogger } from '@paas/core';
import { ProxyServer } from 'httpxy';
import { appTarget } from '../metrics/traffic-files';
import { layout } from '../state/layout';
import { pages, rawPage, sendPage, VIA } from './pages';
import { hostOf, loadRouteTable, type RouteTable, type TargetGroup } from './route-table';
import { TargetHealth } from './target-health';
import { type Meter, startTrafficMetering } from './traffic-metering';

export interface RouterOptions {
  /** The local provider's dataDir: routes and server groups are read from there. */
  dataDir: string;
  /** 0 picks a free port (see `url`). */
  port: number;
  /**
   * Interface to listen on. The platform's router process passes
   * PAAS_ROUTER_HOST (0.0.0.0 by default, so a server's apps are reachable);
   * embedded callers and tests that pass nothing stay on 127.0.0.1.
   */
  host?: string;
  /** Health check and re-read interval; ~1 s like a fast ALB target group. */
  intervalMs?: number;
  /** How often traffic counts are written to the data dir; 5 s. */
  metricsFlushMs?: number;
  /** How long traffic counts are kept; 24 h. */
  metricsRetentionMs?: number;
  log?: Logger;
  /** How long close() lets requests in flight finish; 10 s. */
  closeGraceMs?: number;
}

const CLOSE_GRACE_MS = 10_000;

export interface RunningRouter {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Resolution =
  | { kind: 'no-route'; host: string }
  | { kind: 'unavailable'; app: string; appId: string }
  | { kind: 'target'; app: string; appId: string; group: TargetGroup; target: { id: string; port: number } };

/** How long after a route switch the previous group may still answer for a new one that is not up yet. */
const SWITCH_GRACE_MS = 30_000;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * The local stand-in for an ALB: maps the Host header to the app routed for
 * it, then round-robins across the healthy instances of the app's server
 * group. Routes and groups are re-read when their files change (fs.watch) and
 * every interval anyway, because fs.watch can miss events.
 */
export async function startRouter(options: RouterOptions): Promise<RunningRouter> {
  const paths = layout(options.dataDir);
  const log = options.log ?? silentLogger;
  const intervalMs = options.intervalMs ?? 1_000;
  await Promise.all([
    mkdir(paths.routes, { recursive: true }),
    mkdir(paths.groups, { recursive: true }),
    mkdir(paths.metrics, { recursive: true, mode: 0o700 }),
  ]);

  const health = new TargetHealth(Math.min(800, intervalMs));
  let table: RouteTable = { byHost: new Map(), groups: new Map() };
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  // Ports of the instances in the rotation. An instance leaving it (scaled
  // down, its group replaced) is drained: the supervisor waits until it has no
  // connection open before it stops it, so keep-alive connections to it are
  // closed as soon as they are idle, and requests in flight finish first.
  let servingPorts = new Set<number>();
  const closeIdleToRetired = () => {
    servingPorts = new Set([...table.groups.values()].flatMap((group) => group.instances.map((i) => i.port)));
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of sockets ?? []) if (!servingPorts.has(socket.remotePort ?? 0)) socket.destroy();
    }
  };
  agent.on('free', (socket: Socket) => {
    // After the agent has pooled it (its own listener runs first).
    if (!servingPorts.has(socket.remotePort ?? 0)) setImmediate(() => socket.destroy());
  });
  // The group each app was routed to before its latest switch. Until the new
  // group answers in the router's own checks, requests keep going to the old
  // one (still running, kept for rollback), so a switch never drops a request.
  // Only while the switch is fresh and the new group has instances on their
  // way up: a group scaled to zero, or one that stays broken, is not papered over.
  const previousGroup = new Map<string, { ref: string; until: number }>();
  const rememberPrevious = (before: RouteTable, after: RouteTable) => {
    for (const [host, route] of after.byHost) {
      const old = before.byHost.get(host);
      if (old?.serverGroupRef && old.serverGroupRef !== route.serverGroupRef) {
        previousGroup.set(route.app, { ref: old.serverGroupRef, until: Date.now() + SWITCH_GRACE_MS });
      }
    }
  };
  let reloading: Promise<void> | null = null;
  let reloadAgain = false;
  const reload = async (): Promise<void> => {
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        reloadAgain = false;
        try {
          const next = await loadRouteTable(paths);
          rememberPrevious(table, next);
          table = next;
          health.sync(table.groups.values());
          closeIdleToRetired();
        } catch (error) {
          log.warn('router could not read routes', { error: String(error) });
        }
      } while (reloadAgain);
    })().finally(() => {
      reloading = null;
    });
    return reloading;
  };
  await reload();
  await health.probeAll();

  let debounce: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void reload(), 10);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of [paths.routes, paths.groups]) {
    try {
      const watcher = watch(dir, { persistent: false }, onChange);
      watcher.on('error', () => {});
      watchers.push(watcher);
    } catch {
      // polling below still picks changes up
    }
  }
  const poll = setInterval(() => void reload(), intervalMs);
  const metering = startTrafficMetering(paths, log, {
    flushMs: options.metricsFlushMs ?? 5_000,
    retentionMs: options.metricsRetentionMs ?? 24 * 60 * 60_000,
  });
  const probe = setInterval(() => void health.probeAll(), intervalMs);

  async function resolve(req: IncomingMessage, exclude?: string): Promise<Resolution> {
    const host = hostOf(req.headers.host);
    const route = table.byHost.get(host);
    if (route === undefined) return { kind: 'no-route', host };
    const group = route.serverGroupRef === null ? undefined : table.groups.get(route.serverGroupRef);
    const app = { app: route.app, appId: route.appId };
    if (group === undefined) return { kind: 'unavailable', ...app };
    let target = health.pick(group, exclude);
    if (target === null && exclude === undefined) {
      await health.settle(group);
      target = health.pick(group);
      if (target === null) {
        await health.probeUnhealthy(group);
        target = health.pick(group);
      }
    }
    const previous = previousGroup.get(route.app);
    if (target === null && group.instances.length > 0 && previous !== undefined && previous.until > Date.now()) {
      const fallback = table.groups.get(previous.ref);
      const old = fallback === undefined ? null : health.pick(fallback, exclude);
      if (fallback !== undefined && old !== null) return { kind: 'target', ...app, group: fallback, target: old };
    }
    return target === null ? { kind: 'unavailable', ...app } : { kind: 'target', ...app, group, target };
  }

  const proxy = new ProxyServer({});
  // Closing: each request in flight or still to come on an open connection is
  // answered, then its connection ends, so a busy keep-alive connection does
  // not hold the close up to its grace period.
  let closing = false;
  const answering = new Set<ServerResponse>();
  proxy.on('proxyRes', (proxyRes) => {
    // The proxy copies the app's Connection header, which would override ours.
    if (closing) proxyRes.headers.connection = 'close';
    const via = proxyRes.headers.via;
    proxyRes.headers.via = via ? `${via}, ${VIA}` : VIA;
  });

  async function forward(
    req: IncomingMessage,
    res: ServerResponse,
    resolved: Extract<Resolution, { kind: 'target' }>,
    retry: boolean,
    meter: Meter,
  ) {
    // Counted under the group that answers, as an ALB counts per target group.
    meter.target = resolved.group.ref;
    try {
      await proxy.web(req, res, {
        target: `http://127.0.0.1:${resolved.target.port}`,
        agent,
        // A retried request's body was never sent (retries are body-less), and req has already ended.
        ...(retry ? { buffer: Readable.from([]) } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const refused = code === 'ECONNREFUSED';
      health.reportFailure(resolved.target.id, refused);
      const method = req.method ?? 'GET';
      const retryable = refused || ((code === 'ECONNRESET' || code === 'EPIPE') && IDEMPOTENT.has(method));
      if (!retry && !res.headersSent && retryable && hasNoBody(req)) {
        const next = await resolve(req, resolved.target.id);
        if (next.kind === 'target') return forward(req, res, next, true, meter);
      }
      log.warn('router could not reach instance', { app: resolved.app, instance: resolved.target.id, code });
      if (!res.headersSent) {
        // The router's own answer, as an ALB's 502 is the load balancer's and not the target group's.
        meter.target = appTarget(resolved.appId);
        const page = pages.badGateway(resolved.app);
        sendPage(res, 502, page.title, page.message, req.method === 'HEAD');
      } else {
        res.destroy();
      }
    }
  }

  const server = createServer((req, res) => {
    if (closing) res.shouldKeepAlive = false;
    answering.add(res);
    res.once('close', () => answering.delete(res));
    handle(req, res).catch((error: unknown) => {
      log.error('router failed to handle a request', { error: String(error) });
      if (!res.headersSent) sendPage(res, 502, 'Bad gateway', 'The router could not handle this request.', req.method === 'HEAD');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const meter = metering.meter(res);
    const resolved = await resolve(req);
    const head = req.method === 'HEAD';
    if (resolved.kind === 'no-route') {
      const page = pages.noRoute(resolved.host);
      return sendPage(res, 404, page.title, page.message, head);
    }
    if (resolved.kind === 'unavailable') {
      meter.target = appTarget(resolved.appId);
      const page = pages.noHealthy(resolved.app);
      return sendPage(res, 503, page.title, page.message, head);
    }
    setForwardedHeaders(req, 'http', listeningPort);
    await forward(req, res, resolved, false, meter);
  }
  // Longer than typical client idle timeouts, like an ALB's 60 s, so keep-alive connections get reused.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const upgraded = new Set<Socket>();
  const track = (socket: Socket) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  };
  proxy.on('open', (proxySocket) => track(proxySocket));
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    track(socket);
    upgrade(req, socket, head).catch((error: unknown) => {
      log.error('router failed to handle an upgrade', { error: String(error) });
      socket.destroy();
    });
  });

  async function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const resolved = await resolve(req);
    if (resolved.kind !== 'target') {
      const status = resolved.kind === 'no-route' ? 404 : 503;
      const page = resolved.kind === 'no-route' ? pages.noRoute(resolved.host) : pages.noHealthy(resolved.app);
      socket.end(rawPage(status, page.message));
      return;
    }
    setForwardedHeaders(req, 'http', listeningPort);
    proxy.ws(req, socket, { target: `http://127.0.0.1:${resolved.target.port}`, agent: false }, head).catch(() => {
      health.reportFailure(resolved.target.id, false);
      socket.destroy();
    });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolveListen());
  });
  const address = server.address();
  const listeningPort = typeof address === 'object' && address !== null ? address.port : options.port;
  log.info('router listening', { host, port: listeningPort });

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}`,
    port: listeningPort,
    async close() {
      clearInterval(poll);
      clearInterval(probe);
      clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
      // Graceful, as a restart (an upgrade) needs: no new connections, idle
      // keep-alive ones closed, requests in flight answered, for up to the
      // grace period; only then is whatever is left cut. The proxy in front
      // retries the connections refused meanwhile on the next router.
      closing = true;
      for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
      // A WebSocket cannot move to the next router: cut at once, its client reconnects.
      for (const socket of upgraded) socket.destroy();
      const closed = new Promise<void>((done) => server.close(() => done()));
      const deadline = Date.now() + (options.closeGraceMs ?? CLOSE_GRACE_MS);
      let finished = false;
      void closed.then(() => {
        finished = true;
      });
      while (!finished && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      agent.destroy();
      await closed;
      await metering.close();
    },
  };
}

function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** Appends to X-Forwarded-For like an ALB; the other headers describe the hop into this router. */
function setForwardedHeaders(req: IncomingMessage, proto: 'http', port: number): void {
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  req.headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  req.headers['x-forwarded-proto'] = proto;
  req.headers['x-forwarded-host'] = req.headers.host ?? '';
  req.headers['x-forwarded-port'] = String(port);
  req.headers['x-request-id'] ??= randomUUID();
  req.headers.via = req.headers.via ? `${req.headers.via}, ${VIA}` : VIA;
}

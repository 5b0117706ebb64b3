// Probes for the dashboard benchmark: which process of the platform makes a
// call (read from /proc), a counting proxy in front of moto that tells the web
// process's AWS calls from the worker's, an strace of the web process's file
// accesses under the local provider's data dir, and a capture of the SQL the
// bench process itself sends (to show where a page's data time goes).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// ─── Processes and sockets, from /proc (Linux) ───────────────────────────────

interface ProcessInfo {
  ppid: number;
  cmd: string;
}

function processTable(): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      table.set(Number(entry), { ppid: Number(fields[1]), cmd });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return table;
}

/** `root` and every process below it. */
export function processTree(root: number, table = processTable()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, info] of table) children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

interface TcpRow {
  localPort: number;
  remotePort: number;
  state: string;
  inode: number;
}

function tcpRows(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (address: string) => Number.parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
      rows.push({
        localPort: port(f[1] as string),
        remotePort: port(f[2] as string),
        state: f[3] as string,
        inode: Number(f[9]),
      });
    }
  }
  return rows;
}

function pidOfInode(inode: number, pids: number[]): number | null {
  const wanted = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return pid;
      } catch {}
    }
  }
  return null;
}

/** The process (among `pids`) listening on a TCP port. */
export function listeningPid(port: number, pids: number[]): number | null {
  const row = tcpRows().find((r) => r.localPort === port && r.state === '0A');
  return row ? pidOfInode(row.inode, pids) : null;
}

/** The process (among `pids`) owning the client end of a connection from `clientPort` to `serverPort`. */
function clientPid(clientPort: number, serverPort: number, pids: number[]): number | null {
  const row = tcpRows().find((r) => r.localPort === clientPort && r.remotePort === serverPort && r.inode !== 0);
  return row ? pidOfInode(row.inode, pids) : null;
}

/** What a platform process is, from its command line: web (Next), worker, the bench itself, or other. */
export function roleOf(pid: number | null): string {
  if (pid === null) return 'unknown';
  if (pid === process.pid) return 'bench';
  const cmd = commandOf(pid);
  if (/next/.test(cmd)) return 'web';
  if (cmd.includes('apps/worker')) return 'worker';
  if (cmd.includes('apps/router')) return 'router';
  if (cmd.includes('apps/webhooks')) return 'webhooks';
  return `other(${cmd.slice(0, 60)})`;
}

// ─── A counting proxy in front of moto ───────────────────────────────────────

export interface CountingProxy {
  endpoint: string;
  /** Calls since the last reset, by process role, then by `service:Action`. */
  calls(): Map<string, Map<string, number>>;
  total(role: string): number;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Forwards every AWS API call to moto unchanged and counts it under the
 * process that made it: each new connection is traced to its owner through
 * /proc (the platform runs below this process), so one endpoint serves all
 * platform processes and the web's calls are still told apart.
 */
export async function startCountingProxy(motoEndpoint: string): Promise<CountingProxy> {
  const target = new URL(motoEndpoint);
  let counts = new Map<string, Map<string, number>>();
  const roles = new WeakMap<Socket, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const role = roles.get(req.socket) ?? 'unknown';
      const key = `${serviceOf(req)}:${actionOf(req, body)}`;
      const byAction = counts.get(role) ?? new Map<string, number>();
      byAction.set(key, (byAction.get(key) ?? 0) + 1);
      counts.set(role, byAction);
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    const pid = clientPid(socket.remotePort ?? 0, (server.address() as AddressInfo).port, processTree(process.pid));
    roles.set(socket, roleOf(pid));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => counts,
    total: (role) => [...(counts.get(role)?.values() ?? [])].reduce((a, b) => a + b, 0),
    reset: () => {
      counts = new Map();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serviceOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
}

function actionOf(req: IncomingMessage, body: Buffer): string {
  const amzTarget = req.headers['x-amz-target'];
  if (typeof amzTarget === 'string') return amzTarget.split('.').pop() ?? amzTarget;
  const action = new URLSearchParams(body.toString('utf8')).get('Action');
  return action ?? `${req.method} ${String(req.url).split('?')[0]}`;
}

export function describeCalls(byAction: Map<string, number> | undefined): string {
  if (!byAction || byAction.size === 0) return 'none';
  return [...byAction.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
}

// ─── File accesses of a process under a directory (strace) ───────────────────

// Every syscall that names a path: a read of the local provider's state starts with one of these.
const PATH_SYSCALLS = [
  'open',
  'openat',
  'openat2',
  'access',
  'faccessat',
  'faccessat2',
  'stat',
  'lstat',
  'newfstatat',
  'statx',
  'readlink',
  'readlinkat',
  'getdents64',
  'mkdir',
  'mkdirat',
  'chmod',
  'fchmodat',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
].join(',');

export interface FileTrace {
  /** Detaches; answers the path syscalls under `dir` (by syscall) and how many path syscalls were seen at all. */
  stop(): Promise<{ underDir: number; bySyscall: Record<string, number>; allPathCalls: number; samples: string[] }>;
}

/** Attaches strace to `pid` and all its threads; counts syscalls naming a path under `dir`. */
export async function traceFileAccess(pid: number, dir: string): Promise<FileTrace> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-strace-'));
  const out = join(outDir, 'trace.txt');
  const child: ChildProcess = spawn('strace', ['-f', '-e', `trace=${PATH_SYSCALLS}`, '-p', String(pid), '-o', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`strace did not attach to ${pid}: ${stderr}`)), 10_000);
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (/attached/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`strace exited with ${code}: ${stderr}`));
    });
  });
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      const lines = readFileSync(out, 'utf8').split('\n');
      rmSync(outDir, { recursive: true, force: true });
      const bySyscall: Record<string, number> = {};
      const samples: string[] = [];
      let underDir = 0;
      let allPathCalls = 0;
      for (const line of lines) {
        const m = /^\d+\s+(?:<\.\.\. )?(\w+)\(/.exec(line);
        if (!m || line.includes('resumed>')) continue;
        allPathCalls++;
        if (!line.includes(`"${dir}`)) continue;
        underDir++;
        const name = m[1] as string;
        bySyscall[name] = (bySyscall[name] ?? 0) + 1;
        if (samples.length < 5) samples.push(line.slice(0, 200));
      }
      return { underDir, bySyscall, allPathCalls, samples };
    },
  };
}

// ─── SQL the bench process sends (through the same Prisma client and adapter) ─

export interface SqlStatement {
  text: string;
  values: unknown[];
  ms: number;
  rows: number;
}

/**
 * Records every statement sent through `pg` in this process while `run`
 * runs: the Prisma client's driver adapter uses the same `pg` module.
 */
export async function captureSql<T>(run: () => Promise<T>): Promise<{ result: T; statements: SqlStatement[] }> {
  // biome-ignore lint/suspicious/noExplicitAny: patching a library method for the length of one call
  const proto = pg.Client.prototype as any;
  const original = proto.query;
  const statements: SqlStatement[] = [];
  proto.query = function patched(this: unknown, ...args: unknown[]) {
    const [config, maybeValues] = args;
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    if (!text) return original.apply(this, args);
    const values = (config as { values?: unknown[] }).values ?? (Array.isArray(maybeValues) ? maybeValues : []);
    const started = performance.now();
    const record = (r: { rowCount?: number | null; rows?: unknown[] } | undefined) =>
      statements.push({ text, values, ms: performance.now() - started, rows: r?.rowCount ?? r?.rows?.length ?? 0 });
    // pg answers a promise, or calls back when given a callback (as its Pool does).
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, r: { rowCount?: number | null; rows?: unknown[] }) => {
        if (!error) record(r);
        return callback(error, r);
      };
      return original.apply(this, args);
    }
    const answer = original.apply(this, args);
    return answer && typeof answer.then === 'function'
      ? answer.then((r: { rowCount?: number | null; rows?: unknown[] }) => {
          record(r);
          return r;
        })
      : answer;
  };
  try {
    return { result: await run(), statements };
  } finally {
    proto.query = original;
  }
}

// ─── A CPU profile of another Node process (its inspector, opened by SIGUSR1) ─

export interface CpuProfileSummary {
  /** Non-idle time sampled, in ms. */
  busyMs: number;
  byCategory: [string, number][];
  topFunctions: [string, number][];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

// Runs in a child Node with WebSocket (Node 20 has it behind a flag): starts the
// profiler, prints STARTED, and on a line on stdin stops it and writes the profile.
const PROFILER_CLIENT = `
const ws = new WebSocket(process.env.WS_URL);
let id = 0;
const pending = new Map();
const send = (method, params = {}) => new Promise((resolve, reject) => {
  const i = ++id;
  pending.set(i, { resolve, reject });
  ws.send(JSON.stringify({ id: i, method, params }));
});
ws.onmessage = (event) => {
  const m = JSON.parse(event.data);
  const p = m.id && pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error) p.reject(new Error(m.error.message)); else p.resolve(m.result);
};
ws.onerror = () => { console.log('ERROR cannot connect'); process.exit(1); };
ws.onopen = async () => {
  const who = await send('Runtime.evaluate', { expression: 'process.pid', returnByValue: true });
  if (who.result.value !== Number(process.env.PID)) { console.log('ERROR inspector of pid ' + who.result.value); process.exit(1); }
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 250 });
  await send('Profiler.start');
  console.log('STARTED');
  process.stdin.once('data', async () => {
    const { profile } = await send('Profiler.stop');
    require('node:fs').writeFileSync(process.env.OUT, JSON.stringify(profile));
    console.log('STOPPED');
    process.exit(0);
  });
};
`;

function categoryOf(frame: ProfileNode['callFrame']): string | null {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return null;
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)') return 'V8 (program, compiled code)';
  if (/@prisma|prisma\/|query_compiler|query-compiler/.test(url)) return 'Prisma client (query planning, result mapping)';
  if (/\/pg\/|pg-protocol|pg-types|postgres-/.test(url)) return 'pg driver (wire protocol, row parsing)';
  if (/app-page|react-dom|react-server|\/react\//.test(url)) return 'React + Next app render (RSC payload, HTML)';
  if (/next\/dist/.test(url)) return 'Next.js server (routing, streaming)';
  if (/\/\.next/.test(url)) return 'bundled app code (pages, @paas packages)';
  if (url.startsWith('node:') || url === '') return 'Node internals (streams, buffers, net)';
  return `other (${url.split('/').slice(-2).join('/')})`;
}

/**
 * Samples `pid`'s CPU while `during` runs, through its inspector (SIGUSR1 opens
 * it on 127.0.0.1:9229). Answers why not, instead, when that inspector is another process's.
 */
export async function profileProcess(pid: number, during: () => Promise<void>): Promise<CpuProfileSummary | string> {
  const list = async () => {
    try {
      const res = await fetch('http://127.0.0.1:9229/json/list', { signal: AbortSignal.timeout(1_000) });
      return (await res.json()) as { webSocketDebuggerUrl: string }[];
    } catch {
      return null;
    }
  };
  // Open already (an earlier profile of the same process), or opened now; the client checks whose it is.
  let targets = await list();
  if (targets === null) process.kill(pid, 'SIGUSR1');
  for (let i = 0; i < 50 && !targets?.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    targets = await list();
  }
  const wsUrl = targets?.[0]?.webSocketDebuggerUrl;
  if (!wsUrl) return 'the inspector did not open: no CPU profile';
  const outDir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const out = join(outDir, 'profile.json');
  const child = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', PROFILER_CLIENT], {
    env: { ...process.env, WS_URL: wsUrl, PID: String(pid), OUT: out },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let said = '';
  const saw = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (said.includes(word)) resolve();
        else if (said.includes('ERROR')) reject(new Error(said.trim()));
      };
      child.stdout?.on('data', (c: Buffer) => {
        said += c.toString();
        check();
      });
      child.once('exit', () => (said.includes(word) ? resolve() : reject(new Error(`profiler client exited: ${said.trim()}`))));
      check();
    });
  try {
    try {
      await saw('STARTED');
    } catch (error) {
      return `no CPU profile: ${String(error)}`;
    }
    await during();
    child.stdin?.write('stop\n');
    await saw('STOPPED');
    const profile = JSON.parse(readFileSync(out, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let busy = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i] as number);
      const us = profile.timeDeltas[i + 1] ?? 0;
      if (!node) continue;
      const category = categoryOf(node.callFrame);
      if (category === null) continue;
      busy += us;
      byCategory.set(category, (byCategory.get(category) ?? 0) + us);
      const { functionName, url, lineNumber } = node.callFrame;
      const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-1)[0]}:${lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    }
    const sorted = (m: Map<string, number>, n: number) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, v / 1000] as [string, number]);
    return { busyMs: busy / 1000, byCategory: sorted(byCategory, 12), topFunctions: sorted(byFunction, 12) };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(outDir, { recursive: true, force: true });
  }
}

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@paas/testing';
import { parse } from 'yaml';

const exec = promisify(execFile);

// docker-compose.yml run without Docker, as Compose would run it, so a test
// can tell whether every service sees what it needs: each service in a
// network namespace of its own on one bridge, its name resolving to its
// address in the others (/etc/netns/<ns>/hosts, which `ip netns exec` mounts
// over /etc/hosts), `network_mode: service:X` sharing X's namespace, the
// environment exactly as the file gives it, and each named volume a directory
// mounted at its path only in the services that declare it (everything else
// under that path's parent is an empty tmpfs there). The images are not run:
// postgres:16 and redis:7 are this machine's PostgreSQL and Redis binaries
// started as those images start them, and node services run their `command`
// from this checkout (the `.:/app` bind mount: the same files).

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  network_mode?: string;
  ports?: string[];
  working_dir?: string;
}

export interface ComposeProject {
  /** Each service's address on the bridge (a shared namespace's for network_mode services). */
  address(service: string): string;
  /** A process started in a service's namespace (for a test's own checks). */
  run(service: string, command: string[]): Promise<{ code: number; out: string }>;
  /** The output of a service so far. */
  output(service: string): string;
  /** The host directory behind a named volume. */
  volume(name: string): string;
  /** Resolves with a service's exit code once it exits (a one-off like `setup`). */
  exited(service: string): Promise<number | null>;
  /** SIGKILLs a service's processes (not the app processes a worker started: those have process groups of their own). */
  kill(service: string): Promise<void>;
  stop(): Promise<void>;
}

export async function loadCompose(): Promise<{ services: Record<string, ComposeService>; volumes: Record<string, unknown> }> {
  return parse(await readFile(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
}

/**
 * Starts `services` (in that order) of docker-compose.yml. `extraEnv` is added
 * to the node services' environment (what the file says to set per install:
 * the secrets). `waitFor` is awaited after each service starts.
 */
export async function startCompose(opts: {
  services: string[];
  extraEnv?: Record<string, string>;
  ready: (service: string, project: ComposeProject) => Promise<void>;
}): Promise<ComposeProject> {
  const compose = await loadCompose();
  const id = randomBytes(3).toString('hex');
  const subnet = `10.${200 + (Number.parseInt(id.slice(0, 2), 16) % 50)}.${Number.parseInt(id.slice(2, 4), 16) % 250}`;
  const bridge = `pcb${id}`;
  const root = await mkdtemp(join(tmpdir(), 'paas-compose-'));
  await chmod(root, 0o755);
  const namespaces = new Map<string, string>();
  const addresses = new Map<string, string>();
  const children = new Map<string, ChildProcess>();
  const outputs = new Map<string, string>();
  const volumes = new Map<string, string>();
  const mountsOf = new Map<string, string[]>();
  const envOf = new Map<string, Record<string, string>>();
  const ip = (...args: string[]) => exec('ip', args);

  const cleanup = async () => {
    for (const [, child] of children) {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
    await Promise.all(
      [...children.values()].map((c) =>
        c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null,
      ),
    );
    for (const ns of new Set(namespaces.values())) {
      await ip('netns', 'del', ns).catch(() => {});
      await rm(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    await ip('link', 'del', bridge).catch(() => {});
    await rm(root, { recursive: true, force: true });
  };

  try {
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    await ip('link', 'set', bridge, 'up');

    // One namespace per service with a network of its own.
    let n = 10;
    for (const name of opts.services) {
      const service = compose.services[name];
      if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
      const shared = service.network_mode?.startsWith('service:') ? service.network_mode.slice('service:'.length) : null;
      if (shared) continue;
      const ns = `pc${id}-${name}`;
      const host = `pv${id}${n}`;
      const peer = `pp${id}${n}`;
      await ip('netns', 'add', ns);
      await ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
      await ip('link', 'set', peer, 'netns', ns);
      await ip('link', 'set', host, 'master', bridge, 'up');
      await ip('-n', ns, 'addr', 'add', `${subnet}.${n}/24`, 'dev', peer);
      await ip('-n', ns, 'link', 'set', peer, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      namespaces.set(name, ns);
      addresses.set(name, `${subnet}.${n}`);
      n++;
    }
    for (const name of opts.services) {
      const shared = compose.services[name]?.network_mode?.slice('service:'.length);
      if (namespaces.has(name) || !shared) continue;
      const ns = namespaces.get(shared);
      if (!ns) throw new Error(`${name} shares the network of ${shared}, which is not started before it`);
      namespaces.set(name, ns);
      addresses.set(name, addresses.get(shared) as string);
    }
    // Compose's DNS: every service name resolves to its address, in every service.
    const hosts = [
      '127.0.0.1 localhost',
      '::1 localhost',
      ...[...addresses].map(([name, address]) => `${address} ${name}`),
      '',
    ].join('\n');
    for (const ns of new Set(namespaces.values())) {
      await mkdir(`/etc/netns/${ns}`, { recursive: true });
      await writeFile(`/etc/netns/${ns}/hosts`, hosts);
    }

    const project: ComposeProject = {
      address: (service) => {
        const address = addresses.get(service);
        if (!address) throw new Error(`no service ${service}`);
        return address;
      },
      run: (service, command) =>
        new Promise((resolve) => {
          const script = [...(mountsOf.get(service) ?? []), 'exec "$@"'].join(' && ');
          execFile(
            'ip',
            ['netns', 'exec', namespaces.get(service) as string, 'sh', '-c', script, 'sh', ...command],
            { cwd: REPO_ROOT, env: envOf.get(service), maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
          );
        }),
      output: (service) => outputs.get(service) ?? '',
      volume: (name) => {
        const dir = volumes.get(name);
        if (!dir) throw new Error(`no volume ${name} in use`);
        return dir;
      },
      exited: (service) => {
        const child = children.get(service);
        if (!child) return Promise.reject(new Error(`no service ${service}`));
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
        return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      },
      kill: async (service) => {
        const child = children.get(service);
        if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
        await exited;
      },
      stop: async () => {
        await cleanup();
      },
    };

    for (const name of opts.services) {
      const service = compose.services[name] as ComposeService;
      const { argv, started } = await commandOf(name, service, root, volumes);
      const ns = namespaces.get(name) as string;
      // The service's volumes, mounted at their paths in a mount namespace of its own.
      const mounts: string[] = [];
      for (const spec of service.volumes ?? []) {
        const [source, target] = spec.split(':') as [string, string];
        if (source === '.' || source.startsWith('./') || source.startsWith('/')) continue; // the checkout itself
        if (name === 'postgres' || name === 'redis') continue; // given to the server as its data dir below
        let dir = volumes.get(source);
        if (!dir) {
          dir = join(root, 'volumes', source);
          await mkdir(dir, { recursive: true });
          volumes.set(source, dir);
        }
        const parent = target.slice(0, target.lastIndexOf('/')) || '/';
        mounts.push(`mount -t tmpfs -o mode=755 compose ${parent}`, `mkdir -p ${target}`, `mount --bind ${dir} ${target}`);
      }
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: '/root',
        ...(service.environment ?? {}),
        ...(service.image?.startsWith('node:') ? opts.extraEnv : {}),
      };
      mountsOf.set(name, mounts);
      envOf.set(name, env);
      const script = [...mounts, 'exec "$@"'].join(' && ');
      const child = spawn('ip', ['netns', 'exec', ns, 'sh', '-c', script, 'sh', ...argv], {
        cwd: REPO_ROOT,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(name, child);
      const collect = (chunk: Buffer) => outputs.set(name, ((outputs.get(name) ?? '') + chunk.toString()).slice(-200_000));
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      await started?.();
      await opts.ready(name, project);
    }
    return project;
  } catch (error) {
    const logs = [...outputs].map(([name, out]) => `--- ${name}\n${out.slice(-3000)}`).join('\n');
    await cleanup();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`);
  }
}

/** What runs for a service: its command, or for the database and cache images what they run. */
async function commandOf(
  name: string,
  service: ComposeService,
  root: string,
  volumes: Map<string, string>,
): Promise<{ argv: string[]; started?: () => Promise<void> }> {
  if (service.image?.startsWith('postgres:')) return postgresCommand(name, service, root, volumes);
  if (service.image?.startsWith('redis:')) {
    const dir = join(root, 'volumes', `${name}-data`);
    await mkdir(dir, { recursive: true });
    // As the image's entrypoint does when given no config file: listen on every address.
    return { argv: [...(service.command ?? ['redis-server']), '--protected-mode', 'no', '--dir', dir] };
  }
  if (!service.command) throw new Error(`service ${name}: no command to run`);
  return { argv: service.command };
}

/** postgres:16's first start: initdb with POSTGRES_PASSWORD, POSTGRES_DB created, password auth from anywhere. */
async function postgresCommand(
  name: string,
  service: ComposeService,
  root: string,
  volumes: Map<string, string>,
): Promise<{ argv: string[]; started: () => Promise<void> }> {
  const bin = (await exec('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'])).stdout.trim();
  if (!bin) throw new Error('PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin)');
  const dir = join(root, 'volumes', `${name}-data`);
  await mkdir(dir, { recursive: true });
  volumes.set(`${name}-data`, dir);
  const { uid, gid } = await ids('postgres');
  await chown(dir, uid, gid);
  const env = service.environment ?? {};
  const pwfile = join(root, `${name}.pw`);
  await writeFile(pwfile, env.POSTGRES_PASSWORD ?? 'postgres');
  await chown(pwfile, uid, gid);
  await exec('runuser', [
    '-u',
    'postgres',
    '--',
    `${bin}/initdb`,
    '-D',
    dir,
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '--auth=scram-sha-256',
  ]);
  await writeFile(join(dir, 'pg_hba.conf'), 'local all all trust\nhost all all 0.0.0.0/0 scram-sha-256\n');
  const socketDir = join(root, `${name}-socket`);
  await mkdir(socketDir, { recursive: true });
  await chown(socketDir, uid, gid);
  const argv = [
    'runuser',
    '-u',
    'postgres',
    '--',
    `${bin}/postgres`,
    '-D',
    dir,
    '-c',
    'listen_addresses=*',
    '-c',
    `unix_socket_directories=${socketDir}`,
  ];
  // The image creates POSTGRES_DB at its first start, once the server answers.
  const started = async () => {
    const deadline = Date.now() + 30_000;
    while (
      (await exec(`${bin}/pg_isready`, ['-h', socketDir, '-q']).then(
        () => true,
        () => false,
      )) === false
    ) {
      if (Date.now() > deadline) throw new Error('the postgres service did not start within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (env.POSTGRES_DB && env.POSTGRES_DB !== 'postgres')
      await exec('runuser', ['-u', 'postgres', '--', `${bin}/createdb`, '-h', socketDir, '-U', 'postgres', env.POSTGRES_DB]);
  };
  return { argv, started };
}

async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const [, , uid, gid] = (await exec('getent', ['passwd', user])).stdout.trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

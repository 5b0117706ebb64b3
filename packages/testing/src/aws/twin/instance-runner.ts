import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { freePort } from '../../platform';
import { type ImdsServer, startImdsServer } from '../imds-server';
import { MOTO_CREDENTIALS } from '../moto-server';
import { serialized } from './serialized';

export const TWIN_BIN = new URL('../twin-bin', import.meta.url).pathname;

/** An instance of the twin: its user data running as a process tree of its own, in a root directory of its own. */
export interface TwinInstance {
  instanceId: string;
  imageId: string;
  root: string;
  /** The instance's app port (the target group's port on EC2), mapped to a port of this machine. */
  hostPort: number;
  /** When the twin started its user data (epoch ms). */
  startedAt: number;
  imds: ImdsServer;
  child: ChildProcess;
  /** Set once the user data's process tree is gone. */
  exited: boolean;
}

export interface InstanceRunner {
  live(): TwinInstance[];
  get(instanceId: string): TwinInstance | undefined;
  /** `CreateImage`: the image's root directory is a copy of the instance's. */
  captureImage(instanceId: string, imageId: string): Promise<void>;
  /** Kills an instance's processes (not the instance): an instance that died. */
  killProcesses(instanceId: string): Promise<void>;
  /** Looks at moto now, rather than at the next tick. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

const RUNNING = new Set(['pending', 'running']);
const STOP_GRACE_MS = 5_000;

/**
 * For each instance moto starts, runs its user data on this machine, the way
 * cloud-init would: as root (the test's user), with PAAS_ROOT set to the
 * instance's directory, an IMDSv2 endpoint that answers for it, AWS_ENDPOINT_URL
 * pointing at the emulator, and the instance's CLI (`aws`) on the PATH.
 * Instances share this machine's network, so the app port each one would
 * listen on (PAAS_PORT, the target group's port by default) is mapped to a
 * free local port, as a container runtime maps ports. An instance that moto
 * stops or terminates has its process tree stopped and its directory removed.
 */
export function startInstanceRunner(options: {
  motoEndpoint: string;
  /** Where instances see AWS (moto, or a proxy in front of it). */
  awsEndpoint: string;
  dir: string;
  region?: string;
  intervalMs?: number;
}): InstanceRunner {
  const region = options.region ?? 'us-east-1';
  const ec2 = new EC2Client({ region, endpoint: options.motoEndpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 2 });
  const instances = new Map<string, TwinInstance>();
  const starting = new Set<string>();
  let stopped = false;

  const launch = async (described: Instance): Promise<void> => {
    const instanceId = described.InstanceId as string;
    const imageId = described.ImageId ?? '';
    const root = join(options.dir, 'instances', instanceId);
    const image = join(options.dir, 'images', imageId);
    await mkdir(root, { recursive: true, mode: 0o755 });
    // An instance launched from an image the twin captured starts from a copy of it; from any
    // other image (the base image: this machine), empty.
    await cp(image, root, { recursive: true, force: true, verbatimSymlinks: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
    const encoded = attribute.UserData?.Value ?? '';
    const userData = Buffer.from(encoded, 'base64').toString('utf8');
    const role = described.IamInstanceProfile?.Arn?.split('/').pop() ?? 'no-role';
    const imds = await startImdsServer({
      instanceId,
      region,
      role: { name: role, ...MOTO_CREDENTIALS, token: `twin-${instanceId}` },
      userData,
      tags: Object.fromEntries((described.Tags ?? []).map((t) => [t.Key as string, t.Value ?? ''])),
    });
    let child: ChildProcess;
    let hostPort: number;
    try {
      hostPort = await freePort();
      const script = join(root, 'var/lib/cloud/instance/user-data.txt');
      await mkdir(dirname(script), { recursive: true });
      await writeFile(script, userData, { mode: 0o700 });
      await mkdir(join(root, 'var/log'), { recursive: true });
      child = spawnUserData(script, root, hostPort, imds.endpoint);
    } catch (error) {
      await imds.stop();
      throw error;
    }
    const instance: TwinInstance = { instanceId, imageId, root, hostPort, startedAt: Date.now(), imds, child, exited: false };
    child.once('exit', () => {
      instance.exited = true;
    });
    child.once('error', () => {
      instance.exited = true;
    });
    instances.set(instanceId, instance);
  };

  /** As cloud-init runs it: as root, output to the instance's cloud-init log. */
  const spawnUserData = (script: string, root: string, hostPort: number, imdsEndpoint: string): ChildProcess => {
    const out = openSync(join(root, 'var/log/cloud-init-output.log'), 'a');
    try {
      return spawn('bash', [script], {
        cwd: root,
        detached: true,
        stdio: ['ignore', out, out],
        env: {
          PATH: [TWIN_BIN, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
          HOME: join(root, 'root'),
          LANG: 'C.UTF-8',
          PAAS_ROOT: root,
          PAAS_PORT: String(hostPort),
          AWS_ENDPOINT_URL: options.awsEndpoint,
          AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsEndpoint,
        },
      });
    } finally {
      closeSync(out); // the child has its own copy
    }
  };

  const halt = async (instance: TwinInstance, removeRoot: boolean): Promise<void> => {
    instances.delete(instance.instanceId);
    await killGroup(instance.child.pid);
    await instance.imds.stop();
    if (removeRoot) await rm(instance.root, { recursive: true, force: true });
  };

  const syncOnce = async (): Promise<void> => {
    const seen = new Map<string, Instance>();
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ NextToken: token }));
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) seen.set(i.InstanceId as string, i);
      token = page.NextToken;
    } while (token);
    for (const [id, described] of seen) {
      if (RUNNING.has(described.State?.Name ?? '') && !instances.has(id) && !starting.has(id)) {
        starting.add(id);
        try {
          await launch(described);
        } finally {
          starting.delete(id);
        }
      }
    }
    for (const instance of [...instances.values()]) {
      const state = seen.get(instance.instanceId)?.State?.Name;
      if (state === undefined || !RUNNING.has(state)) await halt(instance, state !== 'stopped' && state !== 'stopping');
    }
  };
  const sync = serialized(syncOnce);

  const loop = async () => {
    while (!stopped) {
      await sync().catch((error) => process.stderr.write(`aws twin: instance sync failed: ${String(error)}\n`));
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 300));
    }
  };
  const running = loop();

  return {
    live: () => [...instances.values()],
    get: (id) => instances.get(id),
    async captureImage(instanceId, imageId) {
      const instance = instances.get(instanceId);
      if (!instance) return;
      const image = join(options.dir, 'images', imageId);
      await mkdir(dirname(image), { recursive: true });
      // What an image of a root volume holds: not the instance's logs or cloud-init's state.
      await cp(instance.root, image, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => !src.startsWith(join(instance.root, 'var/log')) && !src.startsWith(join(instance.root, 'var/lib/cloud')),
      });
    },
    async killProcesses(instanceId) {
      const instance = instances.get(instanceId);
      if (instance) await killGroup(instance.child.pid, 0);
    },
    sync,
    async stop() {
      stopped = true;
      await running;
      await Promise.all([...instances.values()].map((i) => halt(i, true)));
      ec2.destroy();
    },
  };
}

/** SIGTERM to the process group, then SIGKILL after a grace period, until none of it is left. */
async function killGroup(pid: number | undefined, graceMs = STOP_GRACE_MS): Promise<void> {
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {}
  };
  signal(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  const until = Date.now() + graceMs;
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (alive()) signal('SIGKILL');
  // Bounded: an orphan's zombie, reaped by nobody, would keep the group "alive" forever.
  const killed = Date.now() + 2_000;
  while (alive() && Date.now() < killed) await new Promise((r) => setTimeout(r, 20));
}

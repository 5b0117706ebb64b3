import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { readImageStack, runtimeEnv, runtimePath, shellQuote } from '@paas/buildpacks';
import type { InstanceUserDataInput } from '../scripts/render-instance-user-data';
import { APP_DIR } from './app-dir';
import { appUser } from './app-user';
import { type Instance, metadata } from './instance';
import { S3Log } from './s3-log';

/** What the user data tells an app instance to run (its exports, read back). */
export type RunSpec = Pick<
  InstanceUserDataInput,
  'processType' | 'command' | 'configParameter' | 'port' | 'memoryMb' | 'cpus' | 'logPrefix'
>;

export function runSpecFromEnv(env: NodeJS.ProcessEnv = process.env): RunSpec {
  const need = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`the agent needs ${name} (set by the user data)`);
    return value;
  };
  return {
    processType: need('PAAS_PROCESS_TYPE'),
    command: Buffer.from(need('PAAS_COMMAND_B64'), 'base64').toString('utf8'),
    configParameter: env.PAAS_CONFIG_PARAMETER || null,
    port: env.PAAS_PORT ? Number(env.PAAS_PORT) : null,
    memoryMb: Number(need('PAAS_MEMORY_MB')),
    cpus: Number(need('PAAS_CPUS')),
    logPrefix: need('PAAS_LOG_PREFIX'),
  };
}

const MAX_BACKOFF_MS = 30_000;
/** A process that ran this long before dying starts its next life without backoff. */
const STABLE_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/**
 * The app instance: reads the release's config from Parameter Store, starts
 * the process type's command on the target group's port as the app's user,
 * restarts it with backoff when it dies, and ships its output to the bucket
 * as `app[web.<instance>]: …` lines under its group (with the agent's own
 * notes as `paas[agent]: …`). SIGTERM stops the process, then the agent.
 */
export async function runApp(instance: Instance, spec: RunSpec): Promise<void> {
  const instanceId = await metadata('instance-id');
  // The release's template is shared by its groups: the group comes from the instance's own tags
  // (an Auto Scaling Group tags its instances just after launch).
  const group = await retry(() => metadata('tags/instance/aws:autoscaling:groupName'), 30, 2_000);
  const dyno = `${spec.processType}.${instanceId}`;
  // Segments of 256 KB, the last four kept: a bounded upload every 2 s at most, and readers' offsets stay valid.
  const log = new S3Log({
    s3: instance.s3,
    bucket: instance.bucket,
    key: (segment) => `${spec.logPrefix}${group}/${instanceId}.${String(segment).padStart(6, '0')}.log`,
    maxBytes: 256 * 1024,
    roll: { keep: 4 },
    flushMs: 2_000,
  });
  const note = (text: string) => log.line(`paas[agent]: ${text}`);
  const config = await readConfig(instance, spec.configParameter).catch(async (error: unknown) => {
    note(`could not read the release's config (${spec.configParameter}): ${String(error)}`);
    await log.close();
    throw error;
  });
  const user = appUser(instance);
  const home = user ? user.home : instance.path('home/paas-app');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const appDir = instance.path(APP_DIR);
  const stack = await readImageStack(appDir);
  const env: Record<string, string> = {
    PATH: [...runtimePath(stack, appDir), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    USER: user?.name ?? 'paas-app',
    LANG: process.env.LANG ?? 'C.UTF-8',
    SHELL: '/bin/sh',
    ...runtimeEnv(stack, appDir, { memoryMb: spec.memoryMb, cpus: spec.cpus }),
    ...config,
    // Set by the platform, never by config vars.
    ...(spec.port === null ? {} : { PORT: String(spec.port) }),
    DYNO: dyno,
  };

  let child: ChildProcess | null = null;
  let stopping = false;
  let streak = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      note('stopping (SIGTERM)');
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return resolve();
      const kill = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
      current.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      current.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

  note(`starting ${spec.processType}: ${spec.command}`);
  while (!stopping) {
    const startedAt = Date.now();
    child = spawn('/bin/sh', ['-c', `cd ${shellQuote(appDir)} || exit 126\n${spec.command}`], {
      cwd: home,
      env: env as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => log.line(`app[${dyno}]: ${line}`));
    }
    const status = await new Promise<string>((resolve) => {
      child?.once('error', (error) => resolve(`could not start: ${error.message}`));
      child?.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `status ${code}`));
    });
    if (stopping) break;
    streak = Date.now() - startedAt >= STABLE_MS ? 1 : streak + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (streak - 1));
    note(`process exited with ${status}; restarting in ${Math.round(delay / 1000)} s`);
    await Promise.race([new Promise((r) => setTimeout(r, delay)), stopped]);
  }
  await stopped;
  note('stopped');
  await log.close();
}

/** The release's config vars; a missing parameter is a broken release, so the agent fails loudly. */
async function readConfig(instance: Instance, parameter: string | null): Promise<Record<string, string>> {
  if (!parameter) return {};
  const out = await instance.ssm.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
  return JSON.parse(out.Parameter?.Value ?? '{}') as Record<string, string>;
}

async function retry<T>(run: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

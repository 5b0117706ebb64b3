import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './platform';

export interface WorkerProcess {
  /** The worker's recent output, for a failing test's message. */
  output(): string;
  /** SIGKILL: the worker dies mid-whatever, as on a crash or an OOM kill. */
  kill(): Promise<void>;
}

/** The real worker (apps/worker) as a process of its own; resolves once it works. */
export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/worker/src/main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle: WorkerProcess = {
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-50_000);
      if (output.includes('worker started')) resolve(handle);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before it started:\n${output.slice(-2000)}`)),
    );
  });
}

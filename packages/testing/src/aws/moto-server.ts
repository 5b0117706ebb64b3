import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../platform';

export interface MotoServer {
  endpoint: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A moto server of the test's own (its state is one per process): the AWS the
 * AWS provider is tested against, with fixes for moto gaps that would fail
 * correct requests (see moto_server_with_fixes.py). Fails with what to install when moto is
 * missing; never skipped.
 */
export async function startMotoServer(env: Record<string, string> = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const script = fileURLToPath(new URL('./moto_server_with_fixes.py', import.meta.url));
  const child: ChildProcess = spawn('python3', [script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))]);
    if (done) {
      throw new Error(`moto could not start: these tests need it (pip install 'moto[server]').\n${stderr}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within 30 s.\n${stderr}`);
    }
  }
  return {
    endpoint,
    /** moto's own output (tracebacks of what it failed to do), for a failing test's message. */
    output: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Static credentials moto accepts; never real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

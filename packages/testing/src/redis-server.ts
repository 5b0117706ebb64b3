import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './platform';

/**
 * A Redis of a test's own, to stop and start again (empty, as Redis without
 * persistence comes back after a restart) without touching the shared one.
 */
export async function startRedisServer() {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;

  async function start() {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      {
        stdio: 'ignore',
      },
    );
    const started = child;
    await new Promise<void>((resolve, reject) => {
      started.once('error', (error) =>
        reject(
          new Error(
            `redis-server could not start (${error.message}): these tests run a Redis of their own; install redis-server`,
          ),
        ),
      );
      const deadline = Date.now() + 10_000;
      const poll = async () => {
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on('error', () => {});
        try {
          await client.connect();
          await client.ping();
          resolve();
        } catch {
          if (Date.now() > deadline) reject(new Error(`redis-server did not answer on port ${port}`));
          else setTimeout(poll, 50);
        } finally {
          client.disconnect();
        }
      };
      void poll();
    });
  }

  async function stop() {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return { url, port, start, stop };
}

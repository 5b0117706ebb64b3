import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, withLock } from '../src/local/state/file-lock';

describe('file lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paas-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lets one holder in at a time', async () => {
    const path = join(dir, 'a.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(path, { waitMs: 5_000 }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('returns null when busy and not asked to wait', async () => {
    const path = join(dir, 'b.lock');
    const held = await acquireLock(path, { waitMs: 0 });
    expect(held).not.toBeNull();
    expect(await acquireLock(path, { waitMs: 0 })).toBeNull();
    await held?.release();
    const again = await acquireLock(path, { waitMs: 0 });
    expect(again).not.toBeNull();
    await again?.release();
  });

  it('takes over a lock whose holder died', async () => {
    const path = join(dir, 'c.lock');
    // A real pid that no longer exists: a process that ran and exited.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    await writeFile(
      path,
      JSON.stringify({ pid: Number(dead.stdout.trim()), nonce: 'gone', acquiredAt: new Date().toISOString() }),
    );
    const lock = await acquireLock(path, { waitMs: 0 });
    expect(lock).not.toBeNull();
    await lock?.release();
  });
});

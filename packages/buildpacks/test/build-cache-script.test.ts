import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFunctions } from '../src/build-cache-script';

const run = promisify(execFile);

// The cache's bash functions, run for real against a temporary cache.
describe('the dependency cache functions', () => {
  let dir: string;
  let cache: string;
  const prelude = () =>
    ['set -euo pipefail', 'step() { echo "-----> $*"; }', 'note() { echo "       $*"; }', 'warn() { echo " !     $*"; }']
      .concat(cacheFunctions(cache))
      .join('\n');
  const bash = async (body: string) => {
    const result = await run('bash', ['-c', `${prelude()}\ncd ${dir}\n${body}`]).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    return { out: result.stdout + result.stderr, code: 'code' in result ? result.code : 0 };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paas-cache-fn-'));
    cache = join(dir, 'cache');
    await mkdir(join(dir, 'tree', 'pkg'), { recursive: true });
    await writeFile(join(dir, 'tree', 'pkg', 'index.js'), 'v1');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('restores a saved tree as an independent copy', async () => {
    expect((await bash('cache_save deps k1 tree')).out).toContain('Saved to the cache for the next builds');
    const restored = await bash('cache_restore deps k1 restored "Restoring deps" && echo HIT');
    expect(restored.out).toContain('-----> Restoring deps');
    expect(restored.out).toContain('HIT');
    expect(await readFile(join(dir, 'restored', 'pkg', 'index.js'), 'utf8')).toBe('v1');
    // Writing into the restored tree (a build, a prune) leaves the cache as it was.
    await writeFile(join(dir, 'restored', 'pkg', 'index.js'), 'changed');
    await bash('cache_restore deps k1 again "Restoring deps"');
    expect(await readFile(join(dir, 'again', 'pkg', 'index.js'), 'utf8')).toBe('v1');
  });

  it('misses an unknown key without printing the restore message', async () => {
    const missed = await bash('cache_restore deps nope restored "Restoring deps" || echo MISS');
    expect(missed.out).toContain('MISS');
    expect(missed.out).not.toContain('Restoring deps');
  });

  it('never reads what a writer killed mid-copy left behind, and clears it out later', async () => {
    // Enough files that the copy is still running when it is killed.
    const big = join(dir, 'big');
    await mkdir(big);
    await Promise.all(Array.from({ length: 3000 }, (_, i) => writeFile(join(big, `f${i}`), 'x'.repeat(2000))));
    const writer = spawn('bash', ['-c', `${prelude()}\ncd ${dir}\ncache_save deps k2 big`], { detached: true });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const entries = await readdir(join(cache, 'deps')).catch(() => []);
      const tmp = entries.find((e) => e.startsWith('.tmp.'));
      if (tmp && (await readdir(join(cache, 'deps', tmp)).catch(() => [])).length > 0) break;
      if (Date.now() > deadline) throw new Error('the writer never started copying');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    process.kill(-(writer.pid as number), 'SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    const left = await readdir(join(cache, 'deps'));
    expect(left.filter((e) => !e.startsWith('.'))).toEqual([]);
    expect(left.some((e) => e.startsWith('.tmp.'))).toBe(true);
    expect((await bash('cache_restore deps k2 restored "Restoring deps" || echo MISS')).out).toContain('MISS');

    // A later save removes leftovers older than an hour.
    const leftover = left.find((e) => e.startsWith('.tmp.')) as string;
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(cache, 'deps', leftover), old, old);
    await bash('cache_save deps k3 tree');
    expect((await readdir(join(cache, 'deps'))).filter((e) => e !== '.lock')).toEqual(['k3']);
  }, 30_000);

  it('keeps the three most recently used entries', async () => {
    for (const [age, key] of ['a', 'b', 'c'].entries()) {
      await bash(`cache_save deps ${key} tree`);
      const when = new Date(Date.now() - (3 - age) * 60_000); // a oldest, c newest
      await utimes(join(cache, 'deps', key), when, when);
    }
    await bash('cache_restore deps a restored-a "Restoring"'); // a is used again: now the newest
    await bash('cache_save deps d tree');
    expect((await readdir(join(cache, 'deps'))).filter((e) => !e.startsWith('.')).sort()).toEqual(['a', 'c', 'd']);
  }, 30_000);

  it('keeps the first of two writers of the same key', async () => {
    await bash('cache_save deps k tree');
    await writeFile(join(dir, 'tree', 'pkg', 'index.js'), 'v2');
    expect((await bash('cache_save deps k tree')).out).not.toContain('Saved');
    await bash('cache_restore deps k restored "Restoring"');
    expect(await readFile(join(dir, 'restored', 'pkg', 'index.js'), 'utf8')).toBe('v1');
    expect((await readdir(join(cache, 'deps'))).filter((e) => e.startsWith('.tmp.'))).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isMissingFile } from './atomic-file';

// A cross-process lock: a file created with O_EXCL. A holder that died leaves
// its file behind, so a lock is taken over when its pid is gone or when it has
// not been refreshed for `staleMs` (holders refresh it while they work).

interface LockOwner {
  pid: number;
  nonce: string;
  acquiredAt: string;
}

export interface LockOptions {
  /** Give up after this long; 0 tries once. */
  waitMs: number;
  staleMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

const DEFAULT_STALE_MS = 30_000;

export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

/** Returns null when the lock is busy and `waitMs` ran out. */
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock | null> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + options.waitMs;
  const owner: LockOwner = { pid: process.pid, nonce: randomBytes(8).toString('hex'), acquiredAt: new Date().toISOString() };
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return hold(path, owner, staleMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await takeOverIfStale(path, staleMs)) continue;
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(20 + attempt * 10, 200));
  }
}

export async function withLock<T>(path: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  if (lock === null) throw new LockBusyError(`timed out after ${options.waitMs} ms waiting for lock ${path}`);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

function hold(path: string, owner: LockOwner, staleMs: number): HeldLock {
  // Refresh the mtime so a long but live holder is never mistaken for a stale one.
  const refresh = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    },
    Math.max(staleMs / 3, 100),
  );
  refresh.unref();
  return {
    async release() {
      clearInterval(refresh);
      const current = await readOwner(path);
      if (current?.nonce === owner.nonce) await unlink(path).catch(() => {});
    },
  };
}

async function takeOverIfStale(path: string, staleMs: number): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
  } catch (error) {
    if (isMissingFile(error)) return true;
    throw error;
  }
  const owner = await readOwner(path);
  const age = Date.now() - mtimeMs;
  // An empty/unreadable file is a holder between open and write: young means alive.
  const stale = owner === null ? age > 5_000 : !isAlive(owner.pid) || age > staleMs;
  if (!stale) return false;
  // Move it aside first so two processes taking over cannot both succeed; if what
  // we moved is not the file we judged stale (it was replaced meanwhile), put it back.
  const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isMissingFile(error)) return true;
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved !== null && owner !== null && moved.nonce !== owner.nonce) {
    await link(aside, path).catch(() => {});
  }
  await unlink(aside).catch(() => {});
  return true;
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? (parsed as LockOwner) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

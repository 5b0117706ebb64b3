import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { DiskProbe } from './check-disk';
import type { Resolve } from './check-dns';

// The machine as the doctor sees it (file system, DNS), apart from the checks so tests can hand in their own.

export const nodeDisk: DiskProbe = {
  async space(dir) {
    const s = await statfs(dir);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  },
  async usage(dir) {
    // Cheap on purpose: stops after this many files, so a huge data dir costs a fraction of a second.
    let budget = 20_000;
    const sizeOf = async (p: string): Promise<number> => {
      if (budget-- <= 0) return 0;
      const s = await stat(p).catch(() => null);
      if (!s) return 0;
      if (!s.isDirectory()) return s.size;
      const entries = await readdir(p).catch(() => [] as string[]);
      let total = 0;
      for (const e of entries) total += await sizeOf(path.join(p, e));
      return total;
    };
    const entries = await readdir(dir);
    const sizes = [];
    for (const name of entries) sizes.push({ name, bytes: await sizeOf(path.join(dir, name)) });
    return sizes.filter((s) => s.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  },
};

/** Every address a name resolves to, as browsers and load balancers' clients would find it. */
export const nodeResolve: Resolve = async (hostname) => (await lookup(hostname, { all: true })).map((a) => a.address);

/** The migrations this version ships (the directory names of prisma/migrations), or null when the directory is not there. */
export async function migrationNames(dir: string | null): Promise<string[] | null> {
  if (!dir || !existsSync(dir)) return null;
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}

/** prisma/migrations from where the platform runs (the repository root, or apps/web under `next start`). */
export function findMigrationsDir(from: string = process.cwd()): string | null {
  for (let dir = path.resolve(from), i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(path.join(candidate, 'migration_lock.toml'))) return candidate;
  }
  return null;
}

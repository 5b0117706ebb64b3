import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Readers in other processes must never see half a file: write a temp file
// next to the target, then rename (replace) or link (create once) it in place.

async function writeTemp(path: string, data: string, mode: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** Replaces the file atomically. */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const temp = await writeTemp(path, data, mode);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Creates the file with its full contents unless it exists; returns false when it already did. */
export async function createFileOnce(path: string, data: string, mode = 0o644): Promise<boolean> {
  const temp = await writeTemp(path, data, mode);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

export async function readJsonFile<T>(path: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as T;
}

export const writeJsonAtomic = (path: string, value: unknown, mode?: number) =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);

export const createJsonOnce = (path: string, value: unknown, mode?: number) =>
  createFileOnce(path, `${JSON.stringify(value, null, 2)}\n`, mode);

/** The `.json` files of a directory (not temp files), or none when it does not exist. */
export async function listJsonFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

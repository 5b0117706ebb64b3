import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The little of a source tree that detection needs: top-level names and file contents. */
export interface SourceReader {
  /** Names of the entries at the root of the tree. */
  list(): Promise<string[]>;
  /** UTF-8 contents of a file at the root, or null when it does not exist. */
  read(name: string): Promise<string | null>;
}

export function directorySourceReader(dir: string): SourceReader {
  return {
    list: () => readdir(dir),
    async read(name) {
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
  };
}

/** For tests and for callers that already hold the files (e.g. fetched from an API). */
export function memorySourceReader(files: Record<string, string>): SourceReader {
  return {
    list: async () => Object.keys(files),
    read: async (name) => (Object.hasOwn(files, name) ? (files[name] ?? null) : null),
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}

import { open } from 'node:fs/promises';

/** The last lines of a log file, read from its end so large logs stay cheap. */
export async function readLogTail(path: string, lines: number, maxBytes = 4_096): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n+$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}

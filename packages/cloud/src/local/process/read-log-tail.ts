import { open } from 'node:fs/promises';

/**
 * The last lines of a log file, read from its end so large logs stay cheap.
 * When the file holds fewer lines than asked (an instance log just rotated,
 * see housekeeping/rotate-log.ts), the rest come from the end of `<path>.1`.
 */
export async function readLogTail(path: string, lines: number, maxBytes = 4_096): Promise<string> {
  const current = await readEnd(path, maxBytes);
  if (current === null) return '';
  let text = current.text.replace(/\n+$/, '');
  const count = text === '' ? 0 : text.split('\n').length;
  if (count < lines && current.whole && maxBytes > current.size) {
    const earlier = await readEnd(`${path}.1`, maxBytes - current.size);
    const before = earlier?.text.replace(/\n+$/, '') ?? '';
    if (before !== '') text = text === '' ? before : `${before}\n${text}`;
  }
  return text.split('\n').slice(-lines).join('\n');
}

/** Up to maxBytes from the end of the file; `whole` when that is all of it. */
async function readEnd(path: string, maxBytes: number): Promise<{ text: string; size: number; whole: boolean } | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), size: bytesRead, whole: length === size };
  } finally {
    await handle.close();
  }
}

import { open } from 'node:fs/promises';
import { type LogChunk, notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { BuildResult } from '../state/records';

const MAX_CHUNK = 256 * 1024;

/**
 * The build log from a byte offset. The log file is append-only, so the
 * offset is a stable cursor. A running build's chunk ends at a line end (never
 * half a line or half a character); once the result exists, the rest is read.
 */
export async function readImageBuildLog(ctx: LocalContext, jobRef: string, cursor: string | null): Promise<LogChunk> {
  if (!isSafeName(jobRef)) throw notFound('image build', jobRef);
  const image = ctx.layout.image(jobRef);
  const offset = cursor === null ? 0 : Number(cursor);
  if (!Number.isSafeInteger(offset) || offset < 0) throw notFound('log position', String(cursor));
  // Read the result first: if it exists now, the log below is complete.
  const finished = (await readJsonFile<BuildResult>(image.result)) !== null;

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(image.log, 'r');
  } catch {
    return { text: '', cursor: String(offset), complete: finished };
  }
  try {
    const { size } = await handle.stat();
    const length = Math.max(0, Math.min(size - offset, MAX_CHUNK));
    const buffer = Buffer.alloc(length);
    if (length > 0) await handle.read(buffer, 0, length, offset);
    const atEnd = offset + length >= size;
    let usable = buffer;
    if (!(finished && atEnd)) {
      const lastNewline = buffer.lastIndexOf(0x0a);
      usable = lastNewline === -1 ? Buffer.alloc(0) : buffer.subarray(0, lastNewline + 1);
    }
    return { text: usable.toString('utf8'), cursor: String(offset + usable.length), complete: finished && atEnd };
  } finally {
    await handle.close();
  }
}

import { type LogChunk, notFound } from '@paas/core';
import { exists, getBytes } from '../artifacts';
import type { AwsContext } from '../context';
import { awsNames, parseBuildJobRef } from '../names';

const CHUNK_BYTES = 256 * 1024;

/**
 * The build log from a byte offset. The builder rewrites the object as it
 * grows; only whole lines are handed out while it runs, so a line (or a UTF-8
 * character) is never split between two reads. The result is written after
 * the last log upload: once it exists, what the log holds is all there is.
 */
export async function readImageBuildLog(ctx: AwsContext, jobRef: string, cursor: string | null): Promise<LogChunk> {
  const ids = parseBuildJobRef(jobRef);
  if (!ids) throw notFound('build', jobRef);
  const from = cursor === null ? 0 : Number(cursor);
  const finished = await exists(ctx, awsNames.buildKey(ids.appId, ids.buildId, 'result.json'));
  const read = await getBytes(ctx, awsNames.buildKey(ids.appId, ids.buildId, 'log'), from, CHUNK_BYTES);
  if (read === null) return { text: '', cursor: String(from), complete: finished };
  let bytes = read.bytes;
  const atEnd = from + bytes.length >= read.size;
  if (!(atEnd && finished)) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    bytes = lastNewline >= 0 ? bytes.subarray(0, lastNewline + 1) : atEnd ? Buffer.alloc(0) : wholeCharacters(bytes);
  }
  const next = from + bytes.length;
  return { text: bytes.toString('utf8'), cursor: String(next), complete: finished && next >= read.size };
}

/** A chunk with no newline in it, cut before a UTF-8 sequence that continues in the next chunk. */
function wholeCharacters(bytes: Buffer): Buffer {
  let end = bytes.length;
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end = bytes.length - back;
    break;
  }
  return bytes.subarray(0, end);
}

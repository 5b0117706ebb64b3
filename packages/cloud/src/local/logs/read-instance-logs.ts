import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceLogQuery } from '@paas/core';
import type { LocalContext } from '../context';
import { readLogTail } from '../process/read-log-tail';
import { isSafeName } from '../state/layout';
import { readGroup } from '../supervisor/group-store';
import { isRotating, logGeneration, rotationStamp } from './log-generations';

const MAX_TAIL = 1_000;
const MAX_CHUNK = 64 * 1024;

type Offsets = Record<string, number>;

/**
 * An app's process output, Heroku style (`app[web.1]: …`). The cursor holds a
 * byte offset per log file (append-only, but rotated: see readFollowing), so a follower reads only
 * what was written since; without a cursor it starts with the last lines.
 */
export async function readInstanceLogs(ctx: LocalContext, query: InstanceLogQuery): Promise<{ text: string; cursor: string }> {
  const tail = Math.max(0, Math.min(MAX_TAIL, Math.trunc(query.tail)));
  const offsets = decode(query.cursor);
  const next: Offsets = {};
  const lines: string[] = [];
  for (const ref of query.serverGroupRefs) {
    if (!isSafeName(ref)) continue;
    const group = await readGroup(ctx, ref);
    if (group === null || group.app.id !== query.app.id) continue;
    const dir = ctx.layout.groupLogs(ref);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.log')).sort();
    for (const file of files) {
      const path = join(dir, file);
      const key = `${ref}/${file}`;
      const seq = file.split('.')[1] ?? '?';
      const source = `app[${group.processType}.${seq}]: `;
      if (query.cursor === null) {
        const last = tail === 0 ? '' : await readLogTail(path, tail, 256 * 1024);
        if (last !== '') lines.push(...last.split('\n').map((line) => source + line));
        next[key] = await sizeOf(path);
        setStamp(next, key, await rotationStamp(path));
        continue;
      }
      const { text, end, stamp } = await readFollowing(path, offsets[key] ?? 0, offsets[stampKey(key)] ?? 0);
      next[key] = end;
      setStamp(next, key, stamp);
      if (text !== '')
        lines.push(
          ...text
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => source + line),
        );
    }
  }
  const shown = query.cursor === null ? lines.slice(-tail) : lines;
  return { text: shown.length > 0 ? `${shown.join('\n')}\n` : '', cursor: encode(next) };
}

async function sizeOf(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

// Rotation (housekeeping/rotate-log.ts) copies the log to `.1` byte for byte,
// then empties it. The cursor keeps, besides the offset, the stamp of `.1` it
// last saw (absent = never rotated): when `.1` is another file now, the rest of
// what the follower was reading is in `.1` from the same offset, and then the
// live log from its start. So a follower misses nothing across a rotation.

const stampKey = (key: string) => `${key}#1`;

function setStamp(offsets: Offsets, key: string, stamp: number): void {
  if (stamp !== 0) offsets[stampKey(key)] = stamp;
}

async function readFollowing(path: string, offset: number, stamp: number): Promise<{ text: string; end: number; stamp: number }> {
  const unchanged = { text: '', end: offset, stamp };
  if (await isRotating(path)) return unchanged; // read again next time, once it is done
  const now = await rotationStamp(path);
  let read: { text: string; end: number; stamp: number };
  if (now === stamp) {
    read = { ...(await readFrom(path, offset)), stamp };
  } else {
    const older = await readFrom(logGeneration(path, 1), offset, { finished: true });
    // More of the old generation than one chunk: stay in it (the stamp says so) until it is read.
    if (!older.atEnd) read = { text: older.text, end: older.end, stamp };
    else {
      const newer = await readFrom(path, 0);
      read = { text: older.text + newer.text, end: newer.end, stamp: now };
    }
  }
  // A rotation that started or ended while we read may have moved what we read: read it again next time.
  if ((await isRotating(path)) || (await rotationStamp(path)) !== now) return unchanged;
  return read;
}

/**
 * Whole lines written since `offset` (at most MAX_CHUNK bytes of them). A
 * `finished` file (a rotated generation) never grows: its last line is taken
 * even without a newline, and an offset past its end means nothing is left.
 */
async function readFrom(
  path: string,
  offset: number,
  options: { finished?: boolean } = {},
): Promise<{ text: string; end: number; atEnd: boolean }> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return { text: '', end: offset, atEnd: true };
  try {
    const { size } = await handle.stat();
    if (options.finished && size <= offset) return { text: '', end: offset, atEnd: true };
    const start = size < offset ? 0 : offset; // emptied some other way: start over
    const length = Math.min(size - start, MAX_CHUNK);
    if (length <= 0) return { text: '', end: start, atEnd: true };
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    const atEnd = start + length >= size;
    if (options.finished && atEnd) {
      const text = buffer.toString('utf8');
      return { text: text.endsWith('\n') ? text : `${text}\n`, end: size, atEnd };
    }
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline === -1) return { text: '', end: start, atEnd: false };
    const end = start + lastNewline + 1;
    return { text: buffer.subarray(0, lastNewline + 1).toString('utf8'), end, atEnd: end >= size };
  } finally {
    await handle.close();
  }
}

function encode(offsets: Offsets): string {
  return Buffer.from(JSON.stringify(offsets)).toString('base64url');
}

function decode(cursor: string | null): Offsets {
  if (cursor === null) return {};
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => Number.isSafeInteger(entry[1]) && entry[1] >= 0),
    );
  } catch {
    return {};
  }
}

import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceLogQuery } from '@paas/core';
import type { LocalContext } from '../context';
import { readLogTail } from '../process/read-log-tail';
import { isSafeName } from '../state/layout';
import { readGroup } from '../supervisor/group-store';

const MAX_TAIL = 1_000;
const MAX_CHUNK = 64 * 1024;

type Offsets = Record<string, number>;

/**
 * An app's process output, Heroku style (`app[web.1]: …`). The cursor holds a
 * byte offset per log file (files are append-only), so a follower reads only
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
        continue;
      }
      const { text, end } = await readFrom(path, offsets[key] ?? 0);
      next[key] = end;
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

/** Whole lines written since `offset` (at most MAX_CHUNK bytes of them). */
async function readFrom(path: string, offset: number): Promise<{ text: string; end: number }> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return { text: '', end: offset };
  try {
    const { size } = await handle.stat();
    const start = size < offset ? 0 : offset; // truncated (rotated): start over
    const length = Math.min(size - start, MAX_CHUNK);
    if (length <= 0) return { text: '', end: start };
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline === -1) return { text: '', end: start };
    return { text: buffer.subarray(0, lastNewline + 1).toString('utf8'), end: start + lastNewline + 1 };
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

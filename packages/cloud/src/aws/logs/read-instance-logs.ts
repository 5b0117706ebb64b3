import type { InstanceLogQuery } from '@paas/core';
import { getBytes, listKeys } from '../artifacts';
import type { AwsContext } from '../context';
import { awsNames } from '../names';

const TAIL_BYTES = 64 * 1024;
const READ_BYTES = 256 * 1024;

/**
 * The output of a group's instances, which their agents ship to the bucket as
 * one object per instance (`app[web.1]: …` lines). The cursor holds a byte
 * offset per object; only whole lines are handed out.
 */
export async function readInstanceLogs(ctx: AwsContext, query: InstanceLogQuery): Promise<{ text: string; cursor: string }> {
  const offsets: Record<string, number> = query.cursor ? safeParse(query.cursor) : {};
  const lines: string[] = [];
  for (const ref of query.serverGroupRefs) {
    for (const { key, size } of await listKeys(ctx, awsNames.instanceLogPrefix(query.app.id, ref))) {
      const known = offsets[key];
      const from = known ?? (query.cursor === null ? Math.max(0, size - TAIL_BYTES) : 0);
      if (from >= size) {
        offsets[key] = from;
        continue;
      }
      const read = await getBytes(ctx, key, from, READ_BYTES);
      if (!read) continue;
      const end = read.bytes.lastIndexOf(0x0a);
      if (end < 0) {
        offsets[key] = from;
        continue;
      }
      let text = read.bytes.subarray(0, end + 1).toString('utf8');
      // A tail that starts mid-file starts at the next whole line.
      if (known === undefined && from > 0) text = text.slice(text.indexOf('\n') + 1);
      lines.push(...text.split('\n').filter((l) => l !== ''));
      offsets[key] = from + end + 1;
    }
  }
  const shown = query.cursor === null ? lines.slice(-query.tail) : lines;
  return { text: shown.map((l) => `${l}\n`).join(''), cursor: JSON.stringify(offsets) };
}

function safeParse(cursor: string): Record<string, number> {
  try {
    const value = JSON.parse(cursor) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, number>) : {};
  } catch {
    return {};
  }
}

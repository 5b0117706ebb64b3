import { sanitizeLine } from './sanitize.js';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Rows as aligned columns under upper-case headers; every cell shown as safe text on one line. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = [columns.map((c) => c.header.toUpperCase()), ...rows.map((r) => columns.map((c) => sanitizeLine(c.value(r))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => [...(line[i] as string)].length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell + ' '.repeat((widths[i] as number) - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `KEY: value` lines with the values aligned (Heroku's config listing). */
export function keyValues(pairs: readonly [string, unknown][]): string {
  const keys = pairs.map(([k]) => sanitizeLine(k));
  const width = Math.max(0, ...keys.map((k) => [...k].length));
  return pairs
    .map(([, v], i) => `${keys[i]}:${' '.repeat(width - [...(keys[i] as string)].length + 1)}${sanitizeLine(v)}`)
    .join('\n');
}

/** `2024-05-01T12:34:56.789Z` → `2024-05-01 12:34:56Z`. */
export function shortTime(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

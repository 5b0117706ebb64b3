// Postgres jsonb refuses what JSON allows: the \u0000 character in a string, a
// lone UTF-16 surrogate, and nesting past its stack. A delivery's raw body is
// always stored; its parsed form only when jsonb can hold it.
const MAX_DEPTH = 1_000;
// A surrogate not part of a pair: a high one not followed by a low one, or a low one not after a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isJsonbSafe(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof v === 'string') {
      if (v.includes('\u0000') || LONE_SURROGATE.test(v)) return false;
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= MAX_DEPTH) return false;
      const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v);
      for (const [key, child] of entries) {
        if (key.includes('\u0000') || LONE_SURROGATE.test(key)) return false;
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return true;
}

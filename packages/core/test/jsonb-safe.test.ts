import { describe, expect, it } from 'vitest';
import { isJsonbSafe } from '../src/webhooks/jsonb-safe';

describe('isJsonbSafe', () => {
  it('accepts what Postgres jsonb holds, paired surrogates (emoji) included', () => {
    expect(isJsonbSafe({ a: [1, 'two', { three: null }], emoji: '🚀', key: true })).toBe(true);
  });

  it('refuses \\u0000, a lone surrogate (in a value or a key) and nesting past 1,000 levels', () => {
    expect(isJsonbSafe({ a: 'x\u0000y' })).toBe(false);
    expect(isJsonbSafe({ a: ['\ud800'] })).toBe(false);
    expect(isJsonbSafe({ a: 'x\udc00' })).toBe(false);
    expect(isJsonbSafe({ 'k\ud800': 1 })).toBe(false);
    expect(isJsonbSafe(JSON.parse(`${'['.repeat(1_001)}${']'.repeat(1_001)}`))).toBe(false);
    expect(isJsonbSafe(JSON.parse(`${'['.repeat(999)}${']'.repeat(999)}`))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from '../src/apps/app-input';
import { configPatchSchema } from '../src/config/config-input';

const reason = (input: unknown) => {
  try {
    parseInput(configPatchSchema, input);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('config patch', () => {
  it('takes values to set and nulls to unset', () => {
    expect(parseInput(configPatchSchema, { API_KEY: 'x', _OLD: null, a1: '' })).toEqual({ API_KEY: 'x', _OLD: null, a1: '' });
  });

  it('names each bad key: not a name, reserved, too long a value, not a string', () => {
    expect(reason({ '1X': 'v' })).toMatch(/1X: config var names are letters/);
    expect(reason({ 'A-B': 'v' })).toMatch(/A-B: /);
    expect(reason({ PORT: '80' })).toMatch(/PORT: PORT is set by the platform/);
    expect(reason({ BIG: 'é'.repeat(16 * 1024 + 1) })).toMatch(/BIG: value is over 32 KB/);
    expect(reason({ N: 5 })).toMatch(/string, or null/);
    expect(reason({})).toMatch(/at least one/);
    expect(reason('A=B')).not.toBeNull();
    expect(reason(JSON.parse('{"__proto__": "x"}'))).toBe('__proto__: this name cannot be used');
    expect(reason({ NUL: 'a\0b' })).toBe('NUL: value cannot contain NUL characters');
    expect(reason({ HALF: 'a\ud800' })).toBe('HALF: value is not valid Unicode text (it has a lone surrogate)');
  });

  it('is described as an object of strings or nulls, for the OpenAPI document', () => {
    expect(z.toJSONSchema(configPatchSchema, { io: 'input', unrepresentable: 'any' })).toMatchObject({
      type: 'object',
      propertyNames: { type: 'string' },
      additionalProperties: { type: ['string', 'null'] },
    });
  });

  it('measures values in bytes, so 32 KB of ASCII fits exactly', () => {
    expect(reason({ FITS: 'x'.repeat(32 * 1024) })).toBeNull();
  });
});

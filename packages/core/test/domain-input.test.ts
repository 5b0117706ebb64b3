import { describe, expect, it } from 'vitest';
import { parseHostname } from '../src/domains/domain-input';

describe('custom domain input', () => {
  it('accepts a full hostname, lower-cased, without a trailing dot', () => {
    expect(parseHostname({ hostname: ' WWW.Example.COM. ' }, 'apps.example.net')).toBe('www.example.com');
  });
  it.each([
    ['a label', 'localhost'],
    ['a wildcard', '*.example.com'],
    ['an IP address', '10.0.0.1'],
    ['an IP address with a hex part', '127.0.0.0x1'],
    ['a top-level label starting with a digit', 'example.1com'],
    ['a non-ASCII letter that lower-cases to ASCII', '\u212a.example.com'],
    ['a space', 'my app.example.com'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.com`],
    ['a hyphen at a label end', 'bad-.example.com'],
    ['the base domain', 'apps.example.net'],
    ['a name under the base domain', 'shop.apps.example.net'],
  ])('refuses %s', (_what, hostname) => {
    expect(() => parseHostname({ hostname }, 'apps.example.net')).toThrow(/not a valid hostname|platform's own domain/);
  });
  it('asks for the right shape', () => {
    expect(() => parseHostname('www.example.com', 'apps.example.net')).toThrow(/send \{"hostname"/);
  });
});

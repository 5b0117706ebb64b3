import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHostname } from '../src/domains/domain-input';
import { AppError } from '../src/errors';

const baseDomain = 'apps.example.net';
const parse = (hostname: unknown) => parseHostname({ hostname }, baseDomain);

/** The validation error parseHostname throws for `hostname`, or a failed expectation if it accepts it. */
function refusal(hostname: unknown): AppError {
  try {
    parse(hostname);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return error as AppError;
  }
  throw new Error(`expected ${JSON.stringify(hostname)} to be refused`);
}

const notValid = /is not a valid hostname/;

// Hostnames built from the rule: 2+ LDH labels of 1–63 characters that neither
// start nor end with a hyphen, a top-level label that starts with a letter, 253
// characters at most, and not under the platform's own domain.
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
const topLabel = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
const builtHostname = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 5 }), topLabel)
  .map(([labels, top]) => [...labels, top].join('.'));
const notOurs = (h: string) => h !== baseDomain && !h.endsWith(`.${baseDomain}`);
// At most 250 characters, leaving room for the tests to add a short label.
const validHostname = fc.oneof(builtHostname, fc.domain({ size: 'medium' })).filter((h) => h.length <= 250 && notOurs(h));

/** A hostname as a user might type it: any case, a trailing dot, surrounding whitespace. */
const typed = fc
  .tuple(
    fc.mixedCase(validHostname),
    fc.boolean(),
    fc.constantFrom('', ' ', '\t', '\n', ' \u00a0'),
    fc.constantFrom('', ' ', '\n'),
  )
  .map(([h, dot, before, after]) => `${before}${h}${dot ? '.' : ''}${after}`);

/** Puts `insert` somewhere inside `name`. */
const spliced = (name: fc.Arbitrary<string>, insert: fc.Arbitrary<string>) =>
  fc.tuple(name, insert, fc.nat()).map(([n, s, at]) => `${n.slice(0, at % (n.length + 1))}${s}${n.slice(at % (n.length + 1))}`);

describe('custom domain hostname (property)', () => {
  it('accepts every hostname built from the rule, unchanged', () => {
    fc.assert(
      fc.property(validHostname, (hostname) => {
        expect(parse(hostname)).toBe(hostname);
      }),
    );
  });

  it('normalizes what a user types: lower-cased, trimmed, no trailing dot; normalizing is idempotent', () => {
    fc.assert(
      fc.property(typed, (input) => {
        const hostname = parse(input);
        expect(hostname).toBe(input.trim().toLowerCase().replace(/\.$/, ''));
        expect(hostname).toMatch(/^[a-z0-9.-]+$/);
        expect(hostname.endsWith('.')).toBe(false);
        expect(parse(hostname)).toBe(hostname);
        expect(parse(`${hostname.toUpperCase()}.`)).toBe(hostname);
      }),
    );
  });

  it('accepts exactly 253 characters and refuses 254 or more', () => {
    // Three 63-character labels, one of `n` characters and `.com`: 196 + n characters.
    const ldh = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
    const labelOf = (min: number, max: number) => fc.string({ unit: ldh, minLength: min, maxLength: max });
    const ofLength = (min: number, max: number) =>
      fc
        .tuple(labelOf(63, 63), labelOf(63, 63), labelOf(63, 63), labelOf(min - 196, max - 196))
        .map((labels) => [...labels, 'com'].join('.'));
    fc.assert(
      fc.property(ofLength(253, 253), ofLength(254, 259), (fits, tooLong) => {
        expect(fits).toHaveLength(253);
        expect(parse(fits)).toBe(fits);
        expect(parse(`${fits}.`)).toBe(fits); // the root dot does not count
        expect(tooLong.length).toBeGreaterThanOrEqual(254);
        expect(tooLong.split('.').every((l) => l.length <= 63)).toBe(true);
        expect(refusal(tooLong).message).toMatch(notValid);
      }),
    );
  });

  it('refuses a label over 63 characters, wherever it is', () => {
    const longLabel = fc.stringMatching(/^[a-z0-9]{64,80}$/);
    fc.assert(
      fc.property(builtHostname, longLabel, fc.nat(), (hostname, long, at) => {
        const labels = hostname.split('.');
        labels.splice(at % (labels.length + 1), 0, long);
        expect(refusal(labels.join('.')).message).toMatch(notValid);
      }),
    );
  });

  it('refuses a single label', () => {
    fc.assert(
      fc.property(fc.oneof(label, topLabel), fc.boolean(), (single, dot) => {
        expect(refusal(`${single}${dot ? '.' : ''}`).message).toMatch(notValid);
      }),
    );
  });

  it('refuses wildcards', () => {
    fc.assert(
      fc.property(validHostname, fc.constantFrom('*.', '*', '*-'), (hostname, wild) => {
        expect(refusal(`${wild}${hostname}`).message).toMatch(notValid);
        const labels = hostname.split('.');
        labels[0] = '*';
        expect(refusal(labels.join('.')).message).toMatch(notValid);
      }),
    );
  });

  it('refuses IPv4 addresses in dotted-decimal form, and IPv6 addresses', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4(),
          fc.ipV6(),
          fc.ipV6().map((ip) => `[${ip}]`),
        ),
        (ip) => {
          expect(refusal(ip).message).toMatch(notValid);
        },
      ),
    );
  });

  it('refuses every IPv4 spelling a URL parser reads as an address: hex, octal and single numbers too', () => {
    // WHATWG URL parsing (browsers, Node's URL) reads a last part like `0x1` or
    // `0177` as a number, so `127.0.0.0x1` is 127.0.0.1 to them; a top-level
    // label starts with a letter, which no such spelling does.
    expect(new URL('http://127.0.0.0x1/').hostname).toBe('127.0.0.1');
    fc.assert(
      fc.property(fc.ipV4Extended(), fc.boolean(), (ip, upper) => {
        expect(new URL(`http://${ip}/`).hostname).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(refusal(upper ? ip.toUpperCase() : ip).message).toMatch(notValid);
      }),
    );
  });

  it('refuses a top-level label that does not start with a letter', () => {
    // Top-level domains are alphabetic or `xn--…`.
    const digitFirst = fc.stringMatching(/^[0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
    fc.assert(
      fc.property(builtHostname, digitFirst, (hostname, top) => {
        expect(refusal(`${hostname}.${top}`).message).toMatch(notValid);
      }),
    );
  });

  it('refuses markup, whitespace inside, and characters outside letters, digits and hyphens', () => {
    const bad = fc.oneof(
      fc.constantFrom('<script>', '</a>', '"', "'", '<', '>', '&', '/', '\\', ':', '@', '_', '%', '?', '#', '\0'),
      fc.constantFrom(' ', '\t', '\u00a0 x', 'a b'),
      fc.constantFrom('é', 'ß', 'ı', 'ｅ', '😀', 'ä'),
      // Non-ASCII even once lower-cased (see the Kelvin sign below).
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).filter((s) => /[^\p{ASCII}]/u.test(s.toLowerCase())),
    );
    fc.assert(
      fc.property(
        spliced(validHostname, bad).filter((h) => h.trim() === h),
        (hostname) => {
          expect(refusal(hostname).message).toMatch(notValid);
        },
      ),
    );
  });

  it('refuses the Kelvin sign rather than lower-casing it to an ASCII k', () => {
    // toLowerCase() maps U+212A KELVIN SIGN to the ASCII letter k, so the
    // ASCII check comes first: a name the user did not type is never accepted.
    fc.assert(
      fc.property(validHostname, (hostname) => {
        expect(`\u212a.${hostname}`.toLowerCase()).toBe(`k.${hostname}`);
        expect(refusal(`\u212a.${hostname}`).message).toMatch(notValid);
      }),
    );
    fc.assert(
      fc.property(spliced(validHostname, fc.constant('\u212a')), (hostname) => {
        expect(refusal(hostname).message).toMatch(notValid);
      }),
    );
  });

  it("refuses the platform's own domain and anything under it", () => {
    fc.assert(
      fc.property(fc.array(label, { maxLength: 3 }), fc.boolean(), (labels, upper) => {
        const hostname = [...labels, baseDomain].join('.');
        expect(refusal(upper ? hostname.toUpperCase() : hostname).message).toMatch(/platform's own domain/);
      }),
    );
  });

  it('throws nothing but a validation AppError, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ hostname: fc.anything() })), (input) => {
        try {
          expect(parseHostname(input, baseDomain)).toMatch(/^[a-z0-9.-]+$/);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('validation_failed');
        }
      }),
    );
  });
});

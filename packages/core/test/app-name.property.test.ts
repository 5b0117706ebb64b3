import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_NAME_MAX, appNameSchema, createAppInputSchema, parseInput } from '../src/apps/app-input';
import { AppError } from '../src/errors';

const repoUrl = 'https://github.com/acme/shop.git';

/** The validation error parseInput throws for `input`, or a failed expectation if it accepts it. */
function refusal(input: unknown): AppError {
  try {
    parseInput(createAppInputSchema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return error as AppError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

// The rule, written independently of the schema's regex: an RFC 1123 label of
// 2–30 characters, lowercase letters, digits and single hyphens, starting with
// a letter and not ending in a hyphen.
function isValidAppName(name: string): boolean {
  return (
    name.length >= 2 &&
    name.length <= APP_NAME_MAX &&
    /^[a-z]$/.test(name[0]!) &&
    !name.endsWith('-') &&
    !name.includes('--') &&
    [...name].every((ch) => /^[a-z0-9-]$/.test(ch))
  );
}

// Built from the rule: a letter, then letters/digits each optionally preceded by
// one hyphen, so a hyphen never doubles and never ends the name.
const validName = fc.stringMatching(/^[a-z](?:[a-z0-9]|-[a-z0-9]){1,29}$/).filter((name) => name.length <= APP_NAME_MAX);
const longValidName = fc.stringMatching(/^[a-z][a-z0-9]{28}[a-z0-9]$/);
const anyValidName = fc.oneof(validName, longValidName);
const shortValidName = fc.stringMatching(/^[a-z](?:[a-z0-9]|-[a-z0-9]){1,6}$/);

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digit = fc.constantFrom(...'0123456789');
const disallowed = fc.oneof(
  fc.constantFrom('_', '.', '/', ':', '@', '!', '+', '=', '<script>', '</a>', '"', "'", '&', '%', '\\', '\0'),
  fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff'),
  fc.constantFrom('é', 'ß', 'ı', 'ａ', '\u212a', 'аpp', '😀', '\u0301'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).filter((s) => /[^\x20-\x7e]/.test(s)),
);

/** Puts `insert` somewhere inside `name` (start, middle or end). */
const spliced = (name: fc.Arbitrary<string>, insert: fc.Arbitrary<string>) =>
  fc.tuple(name, insert, fc.nat()).map(([n, s, at]) => `${n.slice(0, at % (n.length + 1))}${s}${n.slice(at % (n.length + 1))}`);

describe('app name (property)', () => {
  it('accepts every name built from the rule, unchanged', () => {
    fc.assert(
      fc.property(anyValidName, (name) => {
        expect(isValidAppName(name)).toBe(true);
        expect(appNameSchema.parse(name)).toBe(name);
        const parsed = parseInput(createAppInputSchema, { name, repoUrl, cloudAccount: name });
        expect(parsed.name).toBe(name);
        expect(parsed.cloudAccount).toBe(name);
      }),
    );
  });

  it('agrees with the rule on any string from a nearby alphabet', () => {
    const nearby = fc.string({
      unit: fc.constantFrom('a', 'q', 'z', '0', '9', '-', 'A', '_', '.', ' ', 'é'),
      maxLength: APP_NAME_MAX + 3,
    });
    fc.assert(
      fc.property(nearby, (name) => {
        expect(appNameSchema.safeParse(name).success).toBe(isValidAppName(name));
      }),
    );
  });

  const broken: [string, fc.Arbitrary<string>, RegExp][] = [
    ['an uppercase letter', spliced(validName, upper).filter((n) => n.length <= APP_NAME_MAX), /lowercase letters/],
    ['a leading digit', fc.tuple(digit, validName).map(([d, n]) => d + n.slice(0, APP_NAME_MAX - 1)), /start with a letter/],
    ['a leading hyphen', validName.map((n) => `-${n.slice(0, APP_NAME_MAX - 1)}`), /start with a letter/],
    ['a trailing hyphen', validName.map((n) => `${n.slice(0, APP_NAME_MAX - 1)}-`), /not ending in a hyphen/],
    ['consecutive hyphens', fc.tuple(shortValidName, shortValidName).map(([a, b]) => `${a}--${b}`), /consecutive hyphens/],
    [
      'more than 30 characters',
      fc.tuple(validName, validName).map(([a, b]) => `${a}-${b}${'x'.repeat(APP_NAME_MAX)}`),
      /at most 30/,
    ],
    ['fewer than 2 characters', fc.stringMatching(/^[a-z]?$/), /at least 2/],
    ['a disallowed character (markup, unicode, whitespace, punctuation)', spliced(validName, disallowed), /name: /],
  ];

  it.each(broken)('refuses a name with %s, naming the field', (_what, names, reason) => {
    fc.assert(
      fc.property(names, (name) => {
        expect(isValidAppName(name)).toBe(false);
        expect(appNameSchema.safeParse(name).success).toBe(false);
        const message = refusal({ name, repoUrl }).message;
        expect(message).toMatch(/^name: /);
        expect(message).toMatch(reason);
        expect(refusal({ name: 'shop', repoUrl, cloudAccount: name }).message).toMatch(/^cloudAccount: /);
      }),
    );
  });

  it('throws nothing but a validation AppError, whatever it is given', () => {
    const input = fc.oneof(
      fc.anything(),
      fc.record({ name: fc.anything(), repoUrl: fc.anything() }, { requiredKeys: [] }),
      fc.record({ name: fc.string(), repoUrl: fc.constant(repoUrl), branch: fc.string(), cloudAccount: fc.anything() }),
    );
    fc.assert(
      fc.property(input, (value) => {
        try {
          const parsed = parseInput(createAppInputSchema, value);
          expect(isValidAppName(parsed.name)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('validation_failed');
          expect((error as AppError).message.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

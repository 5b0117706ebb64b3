import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/apps/app-input';
import { CONFIG_KEY, configPatchSchema, MAX_CONFIG_VALUE_BYTES, RESERVED_CONFIG_KEYS } from '../src/config/config-input';
import { createSecretBox } from '../src/crypto/secret-box';
import { AppError } from '../src/errors';

const parse = (input: unknown) => parseInput(configPatchSchema, input);

/** The validation error for `input`, or a failed expectation if it is accepted. */
function refusal(input: unknown): AppError {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return error as AppError;
  }
  throw new Error(`expected ${String(JSON.stringify(input))} to be refused`);
}

// The rule for a name, written out: 1–255 characters of letters, digits and _,
// not starting with a digit (the reserved names are a separate check).
const isWellFormedKey = (key: string) => key.length >= 1 && key.length <= 255 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
const isLoneSurrogateFree = (s: string) => !/\p{Cs}/u.test(s);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const keyChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
const keyStart = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_');
const keyOf = (maxRest: number, minRest = 0) =>
  fc.tuple(keyStart, fc.string({ unit: keyChar, minLength: minRest, maxLength: maxRest })).map(([a, rest]) => a + rest);
// `__proto__` is well formed but refused; see its own test below.
const validKey = fc
  .oneof({ arbitrary: keyOf(20), weight: 4 }, { arbitrary: keyOf(254, 200), weight: 1 })
  .filter((k) => !RESERVED_CONFIG_KEYS.includes(k) && k !== '__proto__');
const notStringOrNull = fc.anything().filter((v) => typeof v !== 'string' && v !== null);

const markup = fc.constantFrom(
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
  '${HOME}',
  '$(id)',
  '`id`',
  "'; --",
);
// Values a process can be given: anything but NUL (see its own test below).
const value = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    markup,
    fc.constantFrom('', ' ', ' padded ', 'line\nbreak', 'tab\tbed', '\r\n', 'é', 'e\u0301', '\ufeffbom', '😀', '\u202eevil'),
  )
  .filter((v) => !v.includes('\0'));

describe('config patch (property)', () => {
  it('accepts well-formed keys with string values (set) and nulls (unset), exactly as given', () => {
    const patch = fc.dictionary(validKey, fc.option(value, { nil: null, freq: 4 }), {
      minKeys: 1,
      maxKeys: 8,
      noNullPrototype: true,
    });
    fc.assert(
      fc.property(patch, (input) => {
        const parsed = parse(input);
        expect(parsed).toEqual(input);
        expect(Object.keys(parsed)).toEqual(Object.keys(input));
        for (const [key, v] of Object.entries(input)) expect(parsed[key]).toBe(v);
        for (const key of Object.keys(parsed)) expect(CONFIG_KEY.test(key)).toBe(true);
        // What arrives over HTTP went through JSON.
        expect(parse(JSON.parse(JSON.stringify(input)))).toEqual(input);
      }),
    );
  });

  it('keeps every accepted well-formed value verbatim through sealing at rest', () => {
    const box = createSecretBox(randomBytes(32));
    fc.assert(
      fc.property(validKey, value, (key, v) => {
        const stored = parse({ [key]: v })[key] as string;
        expect(stored).toBe(v);
        expect(box.open(box.seal(stored))).toBe(v);
      }),
    );
  });

  it('measures values in UTF-8 bytes: up to 32 KB accepted, anything over refused naming the key', () => {
    const char = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0');
    fc.assert(
      fc.property(validKey, char, fc.integer({ min: 1, max: 16 }), (key, c, extra) => {
        const size = bytes(c);
        const fits = c
          .repeat(Math.floor(MAX_CONFIG_VALUE_BYTES / size))
          .padEnd(Math.floor(MAX_CONFIG_VALUE_BYTES / size) + (MAX_CONFIG_VALUE_BYTES % size), 'x');
        expect(bytes(fits)).toBe(MAX_CONFIG_VALUE_BYTES);
        expect(parse({ [key]: fits })[key]).toBe(fits);
        const over = fits + c.repeat(extra);
        expect(bytes(over)).toBeGreaterThan(MAX_CONFIG_VALUE_BYTES);
        expect(refusal({ [key]: over }).message).toBe(`${key}: value is over 32 KB`);
      }),
    );
  });

  it('refuses a malformed key, naming it', () => {
    const malformed = fc
      .oneof(
        fc.string({ minLength: 1 }),
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.tuple(fc.constantFrom(...'0123456789'), keyOf(10)).map(([d, rest]) => d + rest),
        fc
          .tuple(keyOf(10), fc.constantFrom('-', '.', ' ', '=', '$', '<script>', 'é', '\0', '\n'), keyOf(10))
          .map((p) => p.join('')),
        keyOf(300, 255),
      )
      .filter((k) => !isWellFormedKey(k));
    fc.assert(
      fc.property(malformed, fc.option(fc.string(), { nil: null }), (key, v) => {
        expect(refusal({ [key]: v }).message).toBe(
          `${key}: config var names are letters, digits and _, not starting with a digit`,
        );
      }),
    );
  });

  it('refuses the reserved keys, to set or to unset, naming them; other cases of them are ordinary keys', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RESERVED_CONFIG_KEYS), fc.option(value, { nil: null }), (key, v) => {
        expect(refusal({ [key]: v }).message).toBe(`${key}: ${key} is set by the platform`);
        // Environment variables are case-sensitive, so `port` does not shadow PORT.
        const lower = key.toLowerCase();
        expect(parse({ [lower]: v })).toEqual({ [lower]: v });
      }),
    );
  });

  it('refuses a value that is neither a string nor null, naming the key', () => {
    fc.assert(
      fc.property(validKey, notStringOrNull, (key, v) => {
        expect(refusal({ [key]: v }).message).toBe(`${key}: each value must be a string, or null to unset it`);
      }),
    );
  });

  it('is all or nothing: one bad entry refuses the whole patch, naming the bad key', () => {
    const good = fc.dictionary(validKey, fc.option(fc.string(), { nil: null }), { maxKeys: 5, noNullPrototype: true });
    const bad = fc.oneof(
      fc.tuple(fc.constantFrom('1X', 'A-B', 'a b', '$X'), fc.constant('v')),
      fc.tuple(fc.constantFrom(...RESERVED_CONFIG_KEYS), fc.constant('1')),
      fc.tuple(fc.constant('BAD_VALUE'), fc.constantFrom<unknown>(5, true, [], {})),
    );
    fc.assert(
      fc.property(good, bad, (entries, [badKey, badValue]) => {
        const message = refusal({ ...entries, [badKey]: badValue }).message;
        expect(message).toContain(`${badKey}: `);
      }),
    );
  });

  it('refuses an empty patch and anything that is not an object, with a validation error about the whole input', () => {
    expect(refusal({}).message).toMatch(/at least one/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.anything())), (input) => {
        const error = refusal(input);
        // No field to name: the message stands alone, apart from details.fields.
        expect(error.details).toEqual({ fields: {}, message: error.message });
      }),
    );
  });

  it('throws nothing but a validation AppError, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())), (input) => {
        try {
          const parsed = parse(input);
          for (const [key, v] of Object.entries(parsed)) {
            expect(isWellFormedKey(key)).toBe(true);
            expect(v === null || (typeof v === 'string' && !v.includes('\0') && isLoneSurrogateFree(v))).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('validation_failed');
        }
      }),
    );
  });

  it('refuses a key named __proto__, naming it, whatever else the patch holds', () => {
    // `__proto__` matches CONFIG_KEY, but zod's record parse skips it (to avoid
    // prototype pollution), so unless refused first it would be dropped unseen
    // and a patch of only `__proto__` would read as empty.
    expect(CONFIG_KEY.test('__proto__')).toBe(true);
    const protoMessage = (error: AppError) =>
      Object.getOwnPropertyDescriptor((error.details as { fields: object }).fields, '__proto__')?.value;
    const others = fc.dictionary(validKey, fc.option(value, { nil: null }), { maxKeys: 5, noNullPrototype: true });
    /** JSON text with an own `__proto__` key, first or last, as an HTTP body would carry it. */
    const withProto = (protoValue: unknown, entries: object, first: boolean) => {
      const proto = `"__proto__":${JSON.stringify(protoValue)}`;
      const rest = JSON.stringify(entries).slice(1, -1);
      const input = JSON.parse(`{${(first ? [proto, rest] : [rest, proto]).filter(Boolean).join(',')}}`);
      expect(Object.hasOwn(input, '__proto__')).toBe(true);
      return input;
    };
    fc.assert(
      fc.property(fc.jsonValue(), others, fc.boolean(), (protoValue, entries, first) => {
        const error = refusal(withProto(protoValue, entries, first));
        expect(error.message).toBe('__proto__: this name cannot be used');
        expect(Object.keys((error.details as { fields: object }).fields)).toEqual(['__proto__']);
        expect(protoMessage(error)).toBe('this name cannot be used');
      }),
    );
    // Other bad keys in the same patch are named too.
    fc.assert(
      fc.property(
        fc.jsonValue(),
        others,
        fc.boolean(),
        fc.constantFrom('1X', 'A-B', ...RESERVED_CONFIG_KEYS),
        (p, entries, first, bad) => {
          const error = refusal(withProto(p, { ...entries, [bad]: 'v' }, first));
          expect(error.message).toContain('__proto__: this name cannot be used');
          expect(error.message).toContain(`${bad}: `);
          expect(protoMessage(error)).toBe('this name cannot be used');
        },
      ),
    );
  });

  it('names the key `_` like any other key', () => {
    // `_` is a well-formed key, so it cannot also stand for the input as a
    // whole: errors on it are prefixed and sit at details.fields._.
    fc.assert(
      fc.property(notStringOrNull, (v) => {
        const error = refusal({ _: v });
        expect(error.message).toBe('_: each value must be a string, or null to unset it');
        expect(error.details).toEqual({ fields: { _: 'each value must be a string, or null to unset it' } });
      }),
    );
    expect(refusal({ _: 'x'.repeat(MAX_CONFIG_VALUE_BYTES + 1) }).message).toBe('_: value is over 32 KB');
    expect(parse({ _: 'ok' })).toEqual({ _: 'ok' });
  });

  it('refuses a value with a NUL character, naming the key', () => {
    // Config values become environment variables, which cannot hold NUL: Node's
    // spawn refuses it outright, so a release carrying one could not start.
    const withNul = fc
      .tuple(value, value)
      .map(([a, b]) => `${a}\0${b}`)
      .filter(isLoneSurrogateFree);
    fc.assert(
      fc.property(validKey, withNul, (key, v) => {
        expect(refusal({ [key]: v }).message).toBe(`${key}: value cannot contain NUL characters`);
      }),
    );
    expect(() => spawnSync(process.execPath, ['-e', ''], { env: { A: 'a\0b' } })).toThrow(/null bytes/);
  });

  it('refuses a value with a lone surrogate, naming the key', () => {
    // Sealing at rest encodes the value as UTF-8, which turns a lone surrogate
    // into U+FFFD, so it could not be read back as set. JSON bodies can carry one ("\ud800").
    const box = createSecretBox(randomBytes(32));
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const ascii = fc.string({ unit: 'binary-ascii' }).filter((s) => !s.includes('\0'));
    const withLone = fc.tuple(ascii, surrogate, ascii).map((p) => p.join(''));
    fc.assert(
      fc.property(validKey, withLone, (key, v) => {
        const input = JSON.parse(JSON.stringify({ [key]: v }));
        expect(input[key]).toBe(v);
        expect(refusal(input).message).toBe(`${key}: value is not valid Unicode text (it has a lone surrogate)`);
        expect(box.open(box.seal(v))).toBe(v.replace(/\p{Cs}/gu, '\ufffd'));
      }),
    );
  });
});

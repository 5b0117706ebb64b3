import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/apps/app-input';
import { AppError } from '../src/errors';
import { MAX_QUANTITY, quantitySchema, updateFormationInputSchema } from '../src/formation/formation-input';
import { INSTANCE_SIZES } from '../src/formation/instance-sizes';

/** The validation error the formation parser throws for `input`, or a failed expectation if it accepts it. */
function refusal(input: unknown): AppError {
  try {
    parseInput(updateFormationInputSchema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return error as AppError;
  }
  throw new Error(`expected ${String(JSON.stringify(input))} to be refused`);
}

const inRange = fc.integer({ min: 0, max: MAX_QUANTITY });
const size = fc.constantFrom(...INSTANCE_SIZES);

describe('formation quantity (property)', () => {
  it('accepts every whole number from 0 to MAX_QUANTITY, unchanged, alone or with a size', () => {
    fc.assert(
      fc.property(inRange, fc.option(size, { nil: undefined }), (quantity, size) => {
        expect(quantitySchema.parse(quantity)).toBe(quantity);
        const input = size === undefined ? { quantity } : { quantity, size };
        expect(parseInput(updateFormationInputSchema, input)).toEqual(input);
        // What arrives over HTTP went through JSON.
        expect(parseInput(updateFormationInputSchema, JSON.parse(JSON.stringify(input)))).toEqual(input);
      }),
    );
  });

  const outside: [string, fc.Arbitrary<unknown>, RegExp][] = [
    ['a negative whole number', fc.integer({ max: -1 }), /0 or more/],
    ['a whole number over the maximum', fc.integer({ min: MAX_QUANTITY + 1 }), new RegExp(`at most ${MAX_QUANTITY}`)],
    ['a fraction', fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)), /whole number/],
    ['NaN or an infinity', fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), /whole number/],
    [
      'a number beyond the safe integers',
      fc.double({ min: 2 ** 53, noDefaultInfinity: true, noNaN: true }).chain((n) => fc.constantFrom(n, -n)),
      /whole number|0 or more|at most/,
    ],
    ['a numeric string', fc.oneof(inRange.map(String), fc.constantFrom('1', '0', ' 3', '3.0', '1e1', '0x10')), /whole number/],
    ['any other string', fc.string(), /whole number/],
    [
      'another type',
      fc.oneof(
        fc.boolean(),
        fc.constant(null),
        fc.bigInt({ min: 0n, max: 100n }),
        fc.array(inRange, { minLength: 1, maxLength: 2 }),
        fc.record({ value: inRange }),
      ),
      /whole number/,
    ],
  ];

  it.each(outside)('refuses %s, naming the quantity', (_what, values, reason) => {
    fc.assert(
      fc.property(values, (quantity) => {
        expect(quantitySchema.safeParse(quantity).success).toBe(false);
        const message = refusal({ quantity }).message;
        expect(message).toMatch(/^quantity: /);
        expect(message).toMatch(reason);
        expect(refusal({ quantity, size: 'small' }).message).toMatch(/^quantity: /);
      }),
    );
  });

  it('accepts a number exactly when it is a whole number in range', () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer({ min: -5, max: MAX_QUANTITY + 5 }));
    fc.assert(
      fc.property(anyNumber, (n) => {
        const whole = Number.isInteger(n) && n >= 0 && n <= MAX_QUANTITY;
        expect(quantitySchema.safeParse(n).success).toBe(whole);
      }),
    );
  });

  it('documents current behaviour: -0 is accepted and comes back as -0', () => {
    // Harmless (it equals 0, serializes as 0 and JSON.parse('-0') produces it),
    // so this records the behaviour rather than a bug.
    expect(Object.is(quantitySchema.parse(-0), -0)).toBe(true);
    expect(JSON.stringify(parseInput(updateFormationInputSchema, JSON.parse('{"quantity":-0}')))).toBe('{"quantity":0}');
  });

  it('throws nothing but a validation AppError, whatever it is given', () => {
    const input = fc.oneof(
      fc.anything(),
      fc.record({ quantity: fc.anything(), size: fc.anything() }, { requiredKeys: [] }),
      fc.dictionary(fc.string(), fc.anything()),
    );
    fc.assert(
      fc.property(input, (value) => {
        try {
          const parsed = parseInput(updateFormationInputSchema, value);
          expect(parsed.quantity !== undefined || parsed.size !== undefined).toBe(true);
          if (parsed.quantity !== undefined) expect(Number.isInteger(parsed.quantity)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('validation_failed');
        }
      }),
    );
  });
});

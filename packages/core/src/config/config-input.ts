import { z } from 'zod';

export const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_CONFIG_VALUE_BYTES = 32 * 1024;
export const MAX_CONFIG_VARS = 1_000;
// The platform sets these on every process; a config var could only shadow them wrongly.
export const RESERVED_CONFIG_KEYS = ['PORT', 'DYNO'];
// zod's record parse skips this key (so it cannot replace the result's prototype),
// which would drop it from a patch without a word; it is refused instead.
const PROTO_KEY = '__proto__';

// ES2024 (Node 20 has it); the project's TypeScript lib is ES2023.
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

const patchRecord = z
  .record(z.string(), z.union([z.string(), z.null()], { error: 'each value must be a string, or null to unset it' }))
  .superRefine((patch, ctx) => {
    const keys = Object.keys(patch);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one config var to set or unset' });
    for (const key of keys) {
      if (!CONFIG_KEY.test(key) || key.length > 255) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'config var names are letters, digits and _, not starting with a digit',
        });
      } else if (RESERVED_CONFIG_KEYS.includes(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is set by the platform` });
      }
      const value = patch[key];
      if (typeof value !== 'string') continue;
      if (Buffer.byteLength(value) > MAX_CONFIG_VALUE_BYTES) {
        ctx.addIssue({ code: 'custom', path: [key], message: `value is over ${MAX_CONFIG_VALUE_BYTES / 1024} KB` });
      }
      // Values become environment variables, which cannot hold NUL (spawn refuses them).
      if (value.includes('\0')) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'value cannot contain NUL characters' });
      }
      // Sealed at rest as UTF-8, a lone surrogate would come back as U+FFFD.
      if (!isWellFormed(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'value is not valid Unicode text (it has a lone surrogate)' });
      }
    }
  });

const isPlainObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' &&
  input !== null &&
  (Object.getPrototypeOf(input) === Object.prototype || Object.getPrototypeOf(input) === null);

/** `{ "KEY": "value" }` sets, `{ "KEY": null }` unsets. */
export const configPatchSchema = z.preprocess((input, ctx) => {
  // Seen here, before the record parse drops it; the other keys are checked as
  // usual so that every problem is named at once.
  if (!isPlainObject(input) || !Object.hasOwn(input, PROTO_KEY)) return input;
  ctx.addIssue({ code: 'custom', path: [PROTO_KEY], message: 'this name cannot be used', input });
  const rest = Object.fromEntries(Object.entries(input).filter(([key]) => key !== PROTO_KEY));
  if (Object.keys(rest).length > 0) {
    for (const issue of patchRecord.safeParse(rest).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input });
    }
  }
  return input;
}, patchRecord);

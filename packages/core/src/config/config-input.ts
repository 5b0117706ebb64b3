import { z } from 'zod';

export const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_CONFIG_VALUE_BYTES = 32 * 1024;
export const MAX_CONFIG_VARS = 1_000;
// The platform sets these on every process; a config var could only shadow them wrongly.
export const RESERVED_CONFIG_KEYS = ['PORT', 'DYNO'];

/** `{ "KEY": "value" }` sets, `{ "KEY": null }` unsets. */
export const configPatchSchema = z
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
      if (typeof value === 'string' && Buffer.byteLength(value) > MAX_CONFIG_VALUE_BYTES) {
        ctx.addIssue({ code: 'custom', path: [key], message: `value is over ${MAX_CONFIG_VALUE_BYTES / 1024} KB` });
      }
    }
  });

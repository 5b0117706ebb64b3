import { z } from 'zod';
import { validationError } from '../errors';

// An app name becomes a DNS label (<name>.<domain>) and a tag value, so it is
// held to RFC 1123 label rules. Cloud resource names derive from ids, not names.
export const APP_NAME_MAX = 30;
const APP_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export const appNameSchema = z
  .string({ error: 'name is required' })
  .min(2, 'name must be at least 2 characters')
  .max(APP_NAME_MAX, `name must be at most ${APP_NAME_MAX} characters`)
  .regex(
    APP_NAME,
    'name must start with a letter and contain only lowercase letters, digits and single hyphens, not ending in a hyphen',
  )
  .refine((name) => !name.includes('--'), 'name must not contain consecutive hyphens');

// Branch names follow git's check-ref-format essentials.
export const branchSchema = z
  .string({ error: 'branch is required' })
  .min(1, 'branch is required')
  .max(255)
  .refine(isValidBranchName, 'branch is not a valid git branch name');

function isValidBranchName(b: string): boolean {
  for (const ch of b) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return !/(^[/.-])|(\.\.)|([/.]$)|(@\{)|[\s~^:?*[\\]/.test(b) && !b.endsWith('.lock');
}

// Clone URLs GitHub sends, plus local paths and file:// URLs for self-hosted
// mirrors and tests that point an app at a bare repository on disk. Never a
// credential: a URL is stored, shown and logged, so `user:token@` is refused.
export const repoUrlSchema = z
  .string({ error: 'repoUrl is required' })
  .min(1, 'repoUrl is required')
  .max(2048)
  .refine(
    (url) => /^(https?|ssh|git|file):\/\/\S+$/.test(url) || /^git@[^:\s]+:\S+$/.test(url) || /^\/\S+$/.test(url),
    'repoUrl must be an https://, ssh://, git@host:path or file:// URL, or an absolute path',
  )
  .refine(
    (url) => !hasCredentials(url),
    'repoUrl must not contain credentials (user:password@ or a token): it is shown and logged. Use a public URL or a mirror the platform can read',
  );

function hasCredentials(url: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)@/i.exec(url);
  if (!match) return false;
  const [, scheme, userinfo] = match as unknown as [string, string, string];
  // ssh://git@host/repo names a user, not a secret; anything with a password, or a user on http(s), is one.
  return userinfo.includes(':') || scheme.toLowerCase() !== 'ssh';
}

export const createAppInputSchema = z.object({
  name: appNameSchema,
  /** Where a deploy fetches from; none for an app that only takes `git push` to the platform. */
  repoUrl: repoUrlSchema.optional(),
  branch: branchSchema.default('main'),
  /** The cloud account to run in (see POST /api/v1/cloud-accounts); default: the platform's own. */
  cloudAccount: appNameSchema.optional(),
});

export type CreateAppInput = z.infer<typeof createAppInputSchema>;

/**
 * Parses with a zod schema and turns failure into one validation error naming
 * each field: details.fields maps a field's path to its first problem, and
 * details.message holds a problem with the input as a whole (no field to name:
 * any string, `_` included, can be a field, so none stands for the whole).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // A Map, then fromEntries: a plain object would drop a field named __proto__.
  const fields = new Map<string, string>();
  let whole: string | undefined;
  const parts: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.path.length === 0) {
      if (whole === undefined) {
        whole = issue.message;
        parts.push(whole);
      }
      continue;
    }
    const key = issue.path.map(String).join('.');
    if (fields.has(key)) continue;
    fields.set(key, issue.message);
    parts.push(`${key === '' ? '""' : key}: ${issue.message}`);
  }
  throw validationError(parts.join('; '), {
    fields: Object.fromEntries(fields),
    ...(whole === undefined ? {} : { message: whole }),
  });
}

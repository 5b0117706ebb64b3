import { z } from 'zod';
import { ROLES } from '../access/permissions';

// Emails are compared lower-cased and trimmed everywhere (sign-up, invitations).
// Non-ASCII is refused before lower-casing, which maps some of it to ASCII
// (U+212A KELVIN SIGN becomes k): the address must be the one the user typed.
export const emailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .refine((email) => /^\p{ASCII}*$/u.test(email), { error: 'email is not a valid address', abort: true })
  .toLowerCase()
  .max(254, 'email must be at most 254 characters')
  .pipe(z.email({ error: 'email is not a valid address' }));

export const roleSchema = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });

export const TEAM_SLUG = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const teamSlugSchema = z
  .string({ error: 'slug is required' })
  .regex(TEAM_SLUG, 'slug must be 1–40 lowercase letters, digits or hyphens, starting with a letter');

import { z } from 'zod';
import { ROLES } from '../access/permissions';

// Emails are compared lower-cased and trimmed everywhere (sign-up, invitations).
export const emailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email must be at most 254 characters')
  .pipe(z.email({ error: 'email is not a valid address' }));

export const roleSchema = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });

export const TEAM_SLUG = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const teamSlugSchema = z
  .string({ error: 'slug is required' })
  .regex(TEAM_SLUG, 'slug must be 1–40 lowercase letters, digits or hyphens, starting with a letter');

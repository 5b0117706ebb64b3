import { z } from 'zod';
import { INSTANCE_SIZES } from './instance-sizes';

// Upper bound per process type: a typo in a slider or API call must not launch
// a thousand instances. Raise it per installation when a team really needs more.
export const MAX_QUANTITY = 100;

export const processTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,29}$/, 'process type must be lowercase letters, digits, _ or -, starting with a letter');

export const quantitySchema = z
  .number({ error: 'quantity must be a whole number' })
  .int('quantity must be a whole number')
  .min(0, 'quantity must be 0 or more')
  .max(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`);

export const updateFormationInputSchema = z
  .object({
    quantity: quantitySchema.optional(),
    size: z.enum(INSTANCE_SIZES, { error: `size must be one of ${INSTANCE_SIZES.join(', ')}` }).optional(),
  })
  .strict()
  .refine((input) => input.quantity !== undefined || input.size !== undefined, 'give a quantity, a size, or both');

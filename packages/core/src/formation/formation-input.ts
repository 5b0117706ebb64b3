import { z } from 'zod';
import { autoscalingSchema } from './autoscaling';
import { INSTANCE_SIZES } from './instance-sizes';
import { MAX_QUANTITY } from './limits';

export { MAX_QUANTITY };

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
    /** Target tracking within min/max, or null to go back to a fixed quantity. */
    autoscaling: autoscalingSchema.nullable().optional(),
  })
  .strict()
  .refine(
    (input) => input.quantity !== undefined || input.size !== undefined || input.autoscaling !== undefined,
    'give a quantity, a size, autoscaling, or a combination',
  );

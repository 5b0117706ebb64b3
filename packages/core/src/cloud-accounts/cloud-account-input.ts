import { z } from 'zod';
import { appNameSchema } from '../apps/app-input';

// An AWS account the platform deploys to: its region, and either the default
// credential chain of the workers or a role assumed with an ExternalId (the
// account template makes that role). Settings are checked by the provider.
export const createCloudAccountSchema = z
  .object({
    name: appNameSchema,
    provider: z.literal('aws', { error: 'provider must be "aws" (the local provider needs no account)' }),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'region must be an AWS region such as us-east-1'),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'roleArn must be an IAM role ARN')
      .optional(),
    externalId: z.string().min(16, 'externalId must be at least 16 characters').max(1224).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((v) => (v.roleArn === undefined) === (v.externalId === undefined), {
    message: 'roleArn and externalId go together: the role is assumed with the ExternalId',
    path: ['externalId'],
  });

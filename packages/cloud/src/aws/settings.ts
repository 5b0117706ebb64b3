import { INSTANCE_SIZES, validationError } from '@paas/core';
import { z } from 'zod';

// What an AWS cloud account is configured with. Everything has a default that
// works in an account's default VPC; a team overrides what its account needs
// (its own VPC, a wildcard certificate, a hosted zone) in the account's settings.
const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.small');

export const awsSettingsSchema = z
  .object({
    /** Apps get `<app>.<baseDomain>`; its wildcard certificate serves them all. */
    baseDomain: z
      .string()
      .regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a DNS name such as apps.example.com'),
    /** ACM certificate for `*.<baseDomain>`: with it the load balancers serve HTTPS and redirect HTTP. */
    certificateArn: z.string().startsWith('arn:').optional(),
    /** Route 53 zone of baseDomain: app hostnames get alias records there. */
    hostedZoneId: z.string().min(1).optional(),
    /** The instance profile of builders and app instances (see the account template). */
    instanceProfile: z.string().min(1).default('paas-instance'),
    /** Where builds report and instances ship logs; defaults to one per account and region. */
    artifactsBucket: z.string().min(3).max(63).optional(),
    vpcId: z.string().startsWith('vpc-').optional(),
    subnetIds: z.array(z.string().startsWith('subnet-')).min(1).optional(),
    /** Base AMI of builders; default: AWS's public parameter for Amazon Linux 2023. */
    baseImage: z.string().startsWith('ami-').optional(),
    builderInstanceType: instanceType.default('t3.medium'),
    instanceTypes: z
      .object({ small: instanceType, medium: instanceType, large: instanceType, xlarge: instanceType })
      .partial()
      .default({}),
    /** The sizes apps in this account may use (all by default): e.g. when the account may launch only some instance types. */
    sizes: z
      .array(z.enum(INSTANCE_SIZES, { error: `sizes are ${INSTANCE_SIZES.join(', ')}` }))
      .min(1, 'offer at least one size')
      .optional(),
    /** Shared load balancers are named `<prefix>-<n>`; two platforms in one account use two prefixes. */
    loadBalancerPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,20}$/)
      .default('paas'),
    /** Apps per load balancer: each app needs a rule and up to 3 target groups during a red/black switch (100 max). */
    appsPerLoadBalancer: z.number().int().min(1).max(33).default(33),
    maxInstancesPerGroup: z.number().int().min(1).max(1000).default(20),
    /** Seconds an old target keeps draining after a switch. */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(10),
  })
  .strict();

export type AwsSettings = z.infer<typeof awsSettingsSchema>;

export function parseAwsSettings(raw: unknown): AwsSettings {
  const parsed = awsSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
    throw validationError(`the AWS account settings are not valid: ${problems}`);
  }
  return parsed.data;
}

// AWS regions that offer everything the provider uses; an unknown one is refused up front.
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-east-1',
  'sa-east-1',
  'me-south-1',
  'me-central-1',
  'af-south-1',
  'il-central-1',
] as const;

export function assertAwsRegion(region: string): void {
  if (!(AWS_REGIONS as readonly string[]).includes(region)) {
    throw validationError(`"${region}" is not an AWS region the platform supports (for example us-east-1, eu-west-1)`);
  }
}

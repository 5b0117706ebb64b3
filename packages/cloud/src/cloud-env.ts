import { hkdfSync } from 'node:crypto';
import { parseSecretKey } from '@paas/core';

/** The settings from @paas/config's env schemas that choose and configure the providers. */
export interface CloudEnv {
  PAAS_CLOUD: 'local' | 'aws';
  PAAS_DATA_DIR: string;
  PAAS_DOMAIN?: string;
  AWS_REGION?: string;
  PAAS_HEALTH_TIMEOUT_MS?: number;
  PAAS_BUILD_TIMEOUT_MS?: number;
  PAAS_DRAIN_TIMEOUT_MS?: number;
  /** The platform's key; the local provider seals config snapshots with a key derived from it. */
  PAAS_SECRET_KEY?: string;
  PAAS_REDIS_PREFIX?: string;
  AWS_ENDPOINT_URL?: string;
  PAAS_AWS_ROLE_ARN?: string;
  PAAS_AWS_EXTERNAL_ID?: string;
  PAAS_AWS_CERTIFICATE_ARN?: string;
  PAAS_AWS_HOSTED_ZONE_ID?: string;
  PAAS_AWS_VPC_ID?: string;
  PAAS_AWS_SUBNET_IDS?: string;
  PAAS_AWS_INSTANCE_PROFILE?: string;
}

/** A key of its own for the local config store, derived so one leaked key never opens the other's data. */
export function localConfigKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', parseSecretKey(secretKey), Buffer.alloc(0), 'paas/local/config-store', 32));
}

/** The AWS settings the environment gives every AWS account, before the account's own. */
export function awsSettingsFromEnv(env: CloudEnv): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      baseDomain: env.PAAS_DOMAIN,
      certificateArn: env.PAAS_AWS_CERTIFICATE_ARN,
      hostedZoneId: env.PAAS_AWS_HOSTED_ZONE_ID,
      vpcId: env.PAAS_AWS_VPC_ID,
      subnetIds: env.PAAS_AWS_SUBNET_IDS?.split(','),
      instanceProfile: env.PAAS_AWS_INSTANCE_PROFILE,
    }).filter(([, v]) => v !== undefined),
  );
}

/** How often the engine re-checks long operations on each provider, in ms. */
export function providerPollIntervals(kind: 'local' | 'aws'): { buildPollMs: number; healthPollMs: number } {
  // Local builds take seconds and processes start in well under a second: poll often.
  return kind === 'local' ? { buildPollMs: 100, healthPollMs: 100 } : { buildPollMs: 15_000, healthPollMs: 5_000 };
}

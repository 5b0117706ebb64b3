import type { CloudAccountRef, Logger } from '@paas/core';
import { AppError, silentLogger } from '@paas/core';
import type { Redis } from 'ioredis';
import type { AwsCallStats } from './aws/clients';
import { createAwsProvider } from './aws/create-aws-provider';
import { assertAwsRegion, parseAwsSettings } from './aws/settings';
import type { RetryPolicy } from './aws/throttle/retry-strategy';
import { awsSettingsFromEnv, type CloudEnv } from './cloud-env';

// Kept apart from the local provider, so the web app (which only reads) never loads the local builder.

export interface CloudRegistryOptions {
  log?: Logger;
  /** AWS providers share their API rate limits through it (every worker process uses the same Redis). */
  redis?: Redis;
  /** Tests on moto, which answers an action it lacks with a 500: not worth retrying. */
  awsRetry?: Partial<RetryPolicy>;
  awsStats?: AwsCallStats;
}

/** Refuses an account the provider could not run with (its region, its settings over the environment's). */
export function checkAccountSettings(env: CloudEnv, account: Pick<CloudAccountRef, 'provider' | 'region' | 'settings'>) {
  if (account.provider !== 'aws') return;
  assertAwsRegion(account.region);
  const accountSettings = typeof account.settings === 'object' && account.settings !== null ? account.settings : {};
  parseAwsSettings({ ...awsSettingsFromEnv(env), ...accountSettings });
}

/** The AWS provider of one cloud account: its credentials, and settings from the account over the environment's. */
export function awsProvider(
  env: CloudEnv,
  opts: CloudRegistryOptions,
  account: CloudAccountRef,
): ReturnType<typeof createAwsProvider> {
  const roleArn = account.roleArn ?? env.PAAS_AWS_ROLE_ARN;
  const externalId = account.externalId ?? env.PAAS_AWS_EXTERNAL_ID;
  const assume = account.authMethod === 'assume_role' || (roleArn !== undefined && roleArn !== null);
  if (assume && (!roleArn || !externalId)) {
    throw new AppError('validation_failed', `cloud account ${account.id} assumes a role but has no role ARN and ExternalId`);
  }
  const accountSettings = typeof account.settings === 'object' && account.settings !== null ? account.settings : {};
  return createAwsProvider({
    accountId: account.id,
    region: account.region,
    auth: assume
      ? { method: 'assume_role', roleArn: roleArn as string, externalId: externalId as string }
      : { method: 'default' },
    settings: parseAwsSettings({ ...awsSettingsFromEnv(env), ...accountSettings }),
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    ...(opts.redis ? { redis: opts.redis } : {}),
    redisPrefix: env.PAAS_REDIS_PREFIX ?? 'paas',
    log: opts.log ?? silentLogger,
    ...(opts.awsRetry ? { retry: opts.awsRetry } : {}),
    ...(opts.awsStats ? { stats: opts.awsStats } : {}),
    ...(env.PAAS_BUILD_TIMEOUT_MS ? { builderMaxAgeMs: env.PAAS_BUILD_TIMEOUT_MS + 15 * 60_000 } : {}),
  });
}

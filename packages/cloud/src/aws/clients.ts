import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { bucketsFor } from './throttle/api-buckets';
import { DEFAULT_RETRY_POLICY, platformRetryStrategy, type RetryPolicy } from './throttle/retry-strategy';
import type { TokenBuckets } from './throttle/token-buckets';

export interface AwsCredentialsInput {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How the platform signs in to an account: the default chain, or a role it assumes with an ExternalId. */
export type AwsAuth =
  | { method: 'default'; credentials?: AwsCredentialsInput }
  | { method: 'assume_role'; roleArn: string; externalId: string; credentials?: AwsCredentialsInput };

export interface AwsClientOptions {
  region: string;
  auth: AwsAuth;
  /** An emulator or proxy (tests); unset on AWS. */
  endpoint?: string;
  buckets: TokenBuckets;
  retry?: Partial<RetryPolicy>;
  /** Counts every attempt sent and every throttled one, for the logs and benchmarks. */
  stats?: AwsCallStats;
}

export interface AwsCallStats {
  calls: number;
  throttled: number;
}

export interface AwsClients {
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  elb: ElasticLoadBalancingV2Client;
  acm: ACMClient;
  route53: Route53Client;
  ssm: SSMClient;
  s3: S3Client;
  sts: STSClient;
  cloudwatch: CloudWatchClient;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const stats = options.stats;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    onThrottled: () => {
      if (stats) stats.throttled++;
      options.retry?.onThrottled?.();
    },
  };
  const base = {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    retryStrategy: platformRetryStrategy(policy),
  };
  const direct = options.auth.credentials;
  const credentials =
    options.auth.method === 'assume_role'
      ? fromTemporaryCredentials({
          params: {
            RoleArn: options.auth.roleArn,
            ExternalId: options.auth.externalId,
            RoleSessionName: 'paas-platform',
            DurationSeconds: 3600,
          },
          ...(direct ? { masterCredentials: direct } : {}),
          clientConfig: { region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) },
        })
      : (direct ?? fromNodeProviderChain());
  const config = { ...base, credentials };

  const clients: AwsClients = {
    ec2: new EC2Client(config),
    autoscaling: new AutoScalingClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    acm: new ACMClient(config),
    route53: new Route53Client(config),
    ssm: new SSMClient(config),
    s3: new S3Client({ ...config, forcePathStyle: options.endpoint !== undefined }),
    sts: new STSClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
  for (const [service, client] of Object.entries(clients)) {
    // Inside the retry loop, so every attempt (a retry too) waits for its tokens.
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        await options.buckets.take(bucketsFor(service, context.commandName ?? ''));
        if (stats) stats.calls++;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'paasRateLimit' },
    );
  }
  return clients;
}

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}

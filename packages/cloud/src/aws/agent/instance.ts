import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * What the agent knows about the instance it runs on, all from standard
 * settings: the region and bucket from its user data, AWS through the SDK's
 * default chain (the instance role's credentials from the metadata service at
 * AWS_EC2_METADATA_SERVICE_ENDPOINT, the endpoint from AWS_ENDPOINT_URL), and
 * PAAS_ROOT, under which everything it writes lives (empty on an instance).
 */
export interface Instance {
  root: string;
  region: string;
  bucket: string;
  s3: S3Client;
  ssm: SSMClient;
  /** A path on the instance, under the root. */
  path(...parts: string[]): string;
}

export function instanceFromEnv(env: NodeJS.ProcessEnv = process.env): Instance {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const bucket = env.PAAS_BUCKET;
  if (!region || !bucket) throw new Error('the agent needs AWS_DEFAULT_REGION and PAAS_BUCKET (set by the user data)');
  const root = env.PAAS_ROOT ?? '';
  const client = { region, maxAttempts: 5 };
  return {
    root,
    region,
    bucket,
    // A custom endpoint (the twin, a VPC endpoint) takes bucket names in the path.
    s3: new S3Client({ ...client, forcePathStyle: Boolean(env.AWS_ENDPOINT_URL) }),
    ssm: new SSMClient(client),
    path: (...parts) => join(root || '/', ...parts),
  };
}

const IMDS = () => process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? 'http://169.254.169.254';

/** One value from the instance metadata service, IMDSv2 (the launch templates require tokens). */
export async function metadata(path: string): Promise<string> {
  const base = IMDS().replace(/\/$/, '');
  const token = await fetch(`${base}/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' },
    signal: AbortSignal.timeout(5_000),
  });
  if (!token.ok) throw new Error(`the metadata service refused a token (${token.status})`);
  const res = await fetch(`${base}/latest/meta-data/${path}`, {
    headers: { 'x-aws-ec2-metadata-token': await token.text() },
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`the metadata service has no ${path} (${res.status})`);
  return res.text();
}

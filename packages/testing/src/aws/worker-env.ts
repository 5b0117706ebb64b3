import { randomBytes } from 'node:crypto';
import { MOTO_CREDENTIALS } from './moto-server';

/** How a platform process reaches the emulated AWS account: its endpoint, credentials moto accepts, the region. */
export function emulatedAwsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    PAAS_DOMAIN: 'apps.example.test',
  };
}

/** The environment of a worker process that deploys only to AWS (on the emulator), with a database and Redis prefix of its own. */
export function awsWorkerEnv(input: {
  database: { url: string; schema: string };
  redisUrl: string;
  redisPrefix: string;
  endpoint: string;
}): Record<string, string> {
  return {
    DATABASE_URL: input.database.url,
    DATABASE_SCHEMA: input.database.schema,
    REDIS_URL: input.redisUrl,
    PAAS_REDIS_PREFIX: input.redisPrefix,
    PAAS_DATA_DIR: '/nonexistent-no-local-provider-here',
    PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
    PAAS_CLOUD: 'aws',
    ...emulatedAwsEnv(input.endpoint),
  };
}

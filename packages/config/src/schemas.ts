import { isAbsolute } from 'node:path';
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL like ${example}`);

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

const database = {
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgresql://user@127.0.0.1:5432/paas'),
  // A Postgres schema other than `public`: lets tests and side-by-side installs share a database.
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lowercase SQL identifier')
    .optional(),
};

const redis = {
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
  // Keys of this installation live under this prefix (BullMQ queues included).
  PAAS_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
    .default('paas'),
};

const cloud = {
  PAAS_CLOUD: z.enum(['local', 'aws']).default('local'),
  AWS_REGION: z.string().default('us-east-1'),
  PAAS_DATA_DIR: z.string().refine(isAbsolute, 'must be an absolute path').describe('local provider state'),
  PAAS_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'must be a DNS name such as localhost or apps.example.com')
    .default('localhost'),
  // The AWS account the default cloud account uses (PAAS_CLOUD=aws); an account's own settings override these.
  AWS_ENDPOINT_URL: url(['http:', 'https:'], 'http://127.0.0.1:5000').optional().describe('an AWS emulator, never set on AWS'),
  PAAS_AWS_ROLE_ARN: z.string().startsWith('arn:aws:iam::').optional(),
  PAAS_AWS_EXTERNAL_ID: z.string().min(2).optional(),
  PAAS_AWS_CERTIFICATE_ARN: z.string().startsWith('arn:').optional(),
  PAAS_AWS_HOSTED_ZONE_ID: z.string().min(1).optional(),
  PAAS_AWS_VPC_ID: z.string().startsWith('vpc-').optional(),
  PAAS_AWS_SUBNET_IDS: z
    .string()
    .regex(/^subnet-[0-9a-f]+(,subnet-[0-9a-f]+)*$/, 'comma-separated subnet ids')
    .optional(),
  PAAS_AWS_INSTANCE_PROFILE: z.string().min(1).optional(),
};

// GitHub's addresses: github.com by default, a GitHub Enterprise Server's otherwise (tests point them at a fake).
const github = {
  GITHUB_URL: url(['http:', 'https:'], 'https://github.com').default('https://github.com'),
  GITHUB_API_URL: url(['http:', 'https:'], 'https://api.github.com').default('https://api.github.com'),
};

const secretKey = {
  PAAS_SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
      'must be 32 random bytes as 64 hex characters (openssl rand -hex 32)',
    ),
};

export const webEnvSchema = z.object({
  ...database,
  ...redis,
  ...cloud,
  ...secretKey,
  ...github,
  // Sets up the first user (the owner) of a fresh install; then signs in nothing.
  PAAS_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters (openssl rand -hex 24)'),
  // Proxies in front of the dashboard (their addresses, comma-separated): the
  // client's address is read from X-Forwarded-For behind them, for rate limits and the audit log.
  PAAS_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  // The addresses GitHub and its users reach the dashboard and the webhook
  // receiver at, for the GitHub App's manifest. Default: the dashboard's own
  // address as the browser used it, and the receiver's port on that host.
  PAAS_PUBLIC_URL: url(['http:', 'https:'], 'https://paas.example.com').optional(),
  PAAS_WEBHOOK_PUBLIC_URL: url(['http:', 'https:'], 'https://paas.example.com/api/webhooks/github').optional(),
  PAAS_WEBHOOK_PORT: port.default(3001),
  // Only to print app URLs on the local provider (http://<app>.localhost:<port>).
  PAAS_ROUTER_PORT: port.default(8080),
  // How app addresses are shown when a proxy fronts the router (the one-server install: https://{host}).
  PAAS_APP_URL: z
    .string()
    .regex(/^https?:\/\/\{host\}(:\d+)?$/, 'must be like https://{host} or http://{host}:8080')
    .optional(),
});

export const workerEnvSchema = z.object({
  ...database,
  ...redis,
  ...cloud,
  ...secretKey,
  GITHUB_API_URL: github.GITHUB_API_URL,
  // For the links GitHub shows on deployments: the dashboard's address (default: this machine's, on PORT) and the local router's port.
  PAAS_PUBLIC_URL: url(['http:', 'https:'], 'https://paas.example.com').optional(),
  PORT: port.default(3000),
  // Where builds fetch pushed commits from the dashboard, when they cannot use
  // PAAS_PUBLIC_URL or localhost (the worker in a container of its own: http://web:3000).
  PAAS_INTERNAL_URL: url(['http:', 'https:'], 'http://web:3000').optional(),
  PAAS_ROUTER_PORT: port.default(8080),
  // How app addresses are shown when a proxy fronts the router (the one-server install: https://{host}).
  PAAS_APP_URL: z
    .string()
    .regex(/^https?:\/\/\{host\}(:\d+)?$/, 'must be like https://{host} or http://{host}:8080')
    .optional(),
  PAAS_WORKER_CONCURRENCY: positiveInt.max(64).default(4),
  // How long new instances may take to answer before a deploy gives up.
  PAAS_HEALTH_TIMEOUT_MS: positiveInt.default(120_000),
  // How long a build may run before it is stopped and its deploy fails.
  PAAS_BUILD_TIMEOUT_MS: positiveInt.default(15 * 60_000),
  // Local provider: how long an instance leaving the router's rotation may finish its requests (and WebSockets) before it is stopped.
  PAAS_DRAIN_TIMEOUT_MS: positiveInt.default(30_000),
  // How long a step may run before another worker takes it over (its worker died mid-step).
  PAAS_STEP_LEASE_MS: positiveInt.min(1_000).default(60_000),
  PAAS_RECONCILE_INTERVAL_MS: positiveInt.default(5_000),
  // How long the previous release's groups stay up (disabled) for an instant rollback.
  // Default: 1 h on AWS, where they cost money; kept until the next deploy on the local provider.
  PAAS_WARM_RETENTION_MS: positiveInt.optional(),
  // How often a running bake and new instances' health are checked (defaults per cloud: AWS 15 s and 5 s).
  PAAS_BUILD_POLL_MS: positiveInt.optional(),
  PAAS_HEALTH_POLL_MS: positiveInt.optional(),
  // How long received GitHub deliveries are kept (the dashboard lists them; deploys outlive them).
  PAAS_WEBHOOK_RETENTION_DAYS: positiveInt.max(3650).default(30),
  // How often each app's traffic metrics (requests, 5xx, latency) are copied from the cloud into Postgres.
  PAAS_METRICS_INTERVAL_MS: positiveInt.min(1_000).default(30_000),
});

export const webhooksEnvSchema = z.object({
  ...database,
  ...redis,
  ...secretKey,
  GITHUB_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters'),
  // GitHub must reach this port; put it behind the same TLS proxy as the dashboard in production.
  PAAS_WEBHOOK_PORT: port.default(3001),
  PAAS_WEBHOOK_HOST: z.string().default('0.0.0.0'),
});

export const routerEnvSchema = z.object({
  PAAS_DATA_DIR: cloud.PAAS_DATA_DIR,
  PAAS_ROUTER_PORT: port.default(8080),
  PAAS_ROUTER_HOST: z.string().default('0.0.0.0'),
});

export type WebEnv = z.infer<typeof webEnvSchema>;
export type WorkerEnv = z.infer<typeof workerEnvSchema>;
export type RouterEnv = z.infer<typeof routerEnvSchema>;
export type WebhooksEnv = z.infer<typeof webhooksEnvSchema>;

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudRegistry, removeLocalData } from '@paas/cloud';
import {
  type Actor,
  AppError,
  type CloudProvider,
  type CloudRegistry,
  type CoreContext,
  createApp,
  createSecretBox,
  engineTimings,
  getApp,
  isRetryableError,
  platformLinks,
  recordDeliveries,
  relayPendingDeliveries,
  silentLogger,
  summarizeDelivery,
} from '@paas/core';
import { createGithubApi } from '@paas/github';
import { createJobQueue, createProducerRedis, createRedis, startJobWorker } from '@paas/jobs';
import {
  type BareRepo,
  createBareRepo,
  createTestDatabase,
  describeOne,
  dropRedisPrefix,
  pushPayload,
  type TestDatabase,
  waitUntil,
} from '@paas/testing';
import type { Worker } from 'bullmq';
import { createHandlers } from '../src/handlers';

export const admin: Actor = { type: 'admin' };

/** Calls to the provider that a test wants to fail, to see the engine recover. */
export type Faults = Partial<Record<keyof CloudProvider, (call: number) => 'fail-before' | 'fail-after' | 'retryable' | null>>;

/**
 * The deployment engine on the real Postgres, Redis (BullMQ) and the local
 * provider's real processes: the worker's own handlers, no web in between.
 * Each engine has its own schema, Redis prefix and data dir.
 */
export async function startEngine(
  options: {
    buildTimeoutMs?: number;
    healthTimeoutMs?: number;
    /** The AWS provider instead of the local one, against this endpoint (moto, or a proxy in front of it). */
    aws?: { endpoint: string; certificateArn?: string };
    /** GitHub's API for apps connected through the GitHub App (a local fake). */
    githubApiUrl?: string;
  } = {},
) {
  const database: TestDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'paas-engine-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-int-${randomBytes(4).toString('hex')}`;
  const connection = createRedis(redisUrl);
  const producer = createProducerRedis(redisUrl);
  const queue = createJobQueue({ connection: producer, prefix });
  const secretKey = randomBytes(32).toString('hex');
  const healthTimeoutMs = options.healthTimeoutMs ?? 20_000;
  const cloud = options.aws
    ? ({ provider: 'aws', region: 'us-east-1' } as const)
    : ({ provider: 'local', region: 'local' } as const);
  const real = createCloudRegistry(
    {
      PAAS_CLOUD: cloud.provider,
      PAAS_DATA_DIR: dataDir,
      PAAS_HEALTH_TIMEOUT_MS: healthTimeoutMs,
      PAAS_SECRET_KEY: secretKey,
      PAAS_REDIS_PREFIX: prefix,
      PAAS_DOMAIN: options.aws ? 'apps.example.test' : 'localhost',
      ...(options.aws ? { AWS_ENDPOINT_URL: options.aws.endpoint } : {}),
      ...(options.aws?.certificateArn ? { PAAS_AWS_CERTIFICATE_ARN: options.aws.certificateArn } : {}),
    },
    // moto answers an action it lacks with a 500: fail fast instead of retrying it.
    { redis: producer, awsRetry: { retryServerErrors: false, baseDelayMs: 20 } },
  );
  const faults: Faults = {};
  const calls = new Map<string, number>();
  const clouds: CloudRegistry = {
    forAccount: (account) => withFaults(real.forAccount(account), faults, calls),
    all: () => real.all(),
    checkSettings: (account) => real.checkSettings(account),
  };
  const ctx: CoreContext = {
    db: database.db,
    clouds,
    queue,
    secrets: createSecretBox(Buffer.from(secretKey, 'hex')),
    // A GitHub of the test's own (a local fake), or none: calls then fail as GitHub being unreachable would.
    github: createGithubApi({ apiUrl: options.githubApiUrl ?? 'http://127.0.0.1:9', log: silentLogger }),
    links: platformLinks({ dashboardUrl: 'http://dashboard.test', routerPort: 8080 }),
    timings: engineTimings({
      buildPollMs: 150,
      healthPollMs: 150,
      healthTimeoutMs,
      buildTimeoutMs: options.buildTimeoutMs ?? 120_000,
    }),
    log: process.env.DEBUG_ENGINE
      ? {
          info: (m, f) => console.error('INFO', m, f),
          warn: (m, f) => console.error('WARN', m, f),
          error: (m, f) => console.error('ERROR', m, f),
        }
      : silentLogger,
    now: () => new Date(),
  };
  let worker: Worker | null = null;
  const repos: BareRepo[] = [];

  const engine = {
    ctx,
    db: database.db,
    queue,
    dataDir,
    faults,
    calls,
    startWorker() {
      worker ??= startJobWorker({
        connection,
        prefix,
        handlers: createHandlers(ctx, dataDir),
        concurrency: 4,
        log: silentLogger,
        isRetryable: isRetryableError,
      });
    },
    async stopWorker() {
      await worker?.close();
      worker = null;
    },
    /** A bare repository removed with the engine. */
    async newRepo() {
      const repo = await createBareRepo();
      repos.push(repo);
      return repo;
    },
    async newApp(name: string) {
      const repo = await engine.newRepo();
      await createApp({ db: ctx.db, cloud }, { name, repoUrl: repo.url }, admin);
      return repo;
    },
    /** Stores a push delivery of `sha` (with the push's `before`) as the receiver does; returns its row id. */
    async storePush(repo: BareRepo, sha: string, before?: string, opts: { message?: string; branch?: string } = {}) {
      const [id] = await this.storePushes(repo, [{ sha, ...(before ? { before } : {}), ...opts }]);
      return id as string;
    },
    /** Pushes received together: stored in one statement, so a relay running meanwhile sees all of them or none. */
    async storePushes(repo: BareRepo, pushes: { sha: string; before?: string; message?: string; branch?: string }[]) {
      const deliveries = pushes.map((push) => {
        const payload = pushPayload({
          repoUrl: repo.url,
          branch: push.branch ?? 'main',
          sha: push.sha,
          ...(push.before ? { before: push.before } : {}),
          ...(push.message ? { message: push.message } : {}),
        });
        const rawBody = Buffer.from(JSON.stringify(payload));
        return { deliveryId: randomBytes(8).toString('hex'), event: 'push', rawBody, ...summarizeDelivery('push', payload) };
      });
      const stored = await recordDeliveries(ctx.db, deliveries);
      return deliveries.map((d) => stored.get(d.deliveryId) as string);
    },
    /** Runs the worker's relay, then the delivery as it ended (another relay running at once may have taken it). */
    async relayed(deliveryRowId: string) {
      await relayPendingDeliveries(ctx);
      return waitUntil(
        `delivery ${deliveryRowId} to be relayed`,
        async () => {
          const d = await ctx.db.webhookDelivery.findUniqueOrThrow({
            where: { id: deliveryRowId },
            include: { deployments: true },
          });
          return d.status === 'received' ? null : d;
        },
        10_000,
        50,
      );
    },
    /** A signed-webhook-equivalent push of `sha`, relayed; returns the deployment it made. */
    async push(repo: BareRepo, sha: string, before?: string) {
      const delivery = await engine.relayed(await engine.storePush(repo, sha, before));
      const deployment = delivery.deployments[0];
      if (!deployment) throw new Error(`push did not deploy: ${delivery.status}, ${delivery.result}`);
      return deployment.id;
    },
    async settled(deploymentId: string, timeoutMs = 60_000) {
      return waitUntil(
        `deployment ${deploymentId} to finish`,
        async () => {
          const d = await ctx.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
          return ['succeeded', 'failed', 'canceled'].includes(d.state) ? d : null;
        },
        timeoutMs,
        100,
      );
    },
    app: (name: string) => getApp({ db: ctx.db, clouds: real }, name),
    /** What the app's serving web group answers on `path`, straight from an instance. */
    async serving(appName: string, path = '/') {
      const app = await ctx.db.app.findUniqueOrThrow({ where: { name: appName }, include: { cloudAccount: true } });
      const group = await ctx.db.serverGroup.findFirstOrThrow({ where: { appId: app.id, receivesTraffic: true } });
      const info = await describeOne(real.forAccount(app.cloudAccount), group.providerRef as string);
      const address = info?.instances.find((i) => i.health === 'healthy')?.address;
      if (!address) throw new Error('no healthy instance serves the app');
      return (await fetch(`http://${address}${path}`)).text();
    },
    provider: (): CloudProvider =>
      real.forAccount({ id: '00000000-0000-0000-0000-000000000000', provider: 'local', region: 'local' }),
    /** The provider of an app's own cloud account. */
    async providerOf(appName: string): Promise<CloudProvider> {
      const app = await ctx.db.app.findUniqueOrThrow({ where: { name: appName }, include: { cloudAccount: true } });
      return real.forAccount(app.cloudAccount);
    },
    async stop() {
      await worker?.close();
      await queue.close();
      connection.disconnect();
      producer.disconnect();
      await removeLocalData(dataDir);
      await database.drop();
      await Promise.all(repos.map((r) => r.remove()));
      await dropRedisPrefix(redisUrl, prefix);
    },
  };
  return engine;
}

export type Engine = Awaited<ReturnType<typeof startEngine>>;

function withFaults(provider: CloudProvider, faults: Faults, calls: Map<string, number>): CloudProvider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const count = (calls.get(property) ?? 0) + 1;
        calls.set(property, count);
        const fault = faults[property as keyof CloudProvider]?.(count) ?? null;
        if (fault === 'retryable') return Promise.reject(new AppError('cloud_throttled', `injected throttling of ${property}`));
        if (fault === 'fail-before') return Promise.reject(new Error(`injected failure before ${property}`));
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((settled) => {
          if (fault === 'fail-after') throw new Error(`injected failure after ${property} took effect`);
          return settled;
        });
      };
    },
  });
}

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AppRef } from '@paas/core';
import { createBareRepo, readWholeBuildLog, sampleAppFiles, waitForBuild } from '@paas/testing';
import {
  MOTO_CREDENTIALS,
  type MotoServer,
  prepareAwsAccount,
  startImdsServer,
  startMotoServer,
  TWIN_BIN,
} from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedAwsProvider } from './emulated-provider';

// The builder's real user data, run as an instance of the AWS twin would run
// it: in a root directory of its own, reaching AWS through the standard
// settings and the instance role from the metadata service. With the agent
// gone from the bucket it cannot start, and must say so at once rather than
// leave the platform waiting out the build deadline.
let moto: MotoServer;
let redis: Redis;
beforeAll(async () => {
  moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await moto?.stop();
});

describe('the builder user data in the twin', () => {
  it('reports a builder that cannot start as a failed build, with the reason in its log', async () => {
    const provider = emulatedAwsProvider(moto.endpoint, redis);
    const app: AppRef = { id: randomUUID(), name: 'ud' };
    const repo = await createBareRepo();
    await repo.commit(sampleAppFiles({ text: 'x' }), 'x');
    const { jobRef } = await provider.startImageBuild({
      app,
      buildId: randomUUID(),
      repoUrl: repo.url,
      ref: 'main',
      definition: 'node-1',
    });

    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    const found = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }));
    const instanceId = found.Reservations?.[0]?.Instances?.[0]?.InstanceId as string;
    const attr = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
    const userData = Buffer.from(attr.UserData?.Value ?? '', 'base64').toString('utf8');
    // The provider shipped the agent with the build; take it away so the builder cannot start.
    const agent = /s3:\/\/([^/]+)\/(agent\/[0-9a-f]+\/agent\.mjs)/.exec(userData);
    expect(agent).not.toBeNull();
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: MOTO_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new DeleteObjectCommand({ Bucket: agent?.[1], Key: agent?.[2] }));
    s3.destroy();
    const imds = await startImdsServer({
      instanceId,
      region: 'us-east-1',
      role: { name: 'paas-instance', ...MOTO_CREDENTIALS, token: 'twin' },
      userData,
    });
    const root = await mkdtemp(join(tmpdir(), 'paas-twin-root-'));
    try {
      // Not spawnSync: the metadata service answers from this process's event loop.
      const run = await runScript(userData, {
        PATH: `${TWIN_BIN}:${process.env.PATH}`,
        HOME: root,
        PAAS_ROOT: root,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
      });
      expect(run.status, run.stderr).not.toBe(0);
      expect(run.stderr).toMatch(/NoSuchKey|does not exist|Not Found/i);
      const status = await waitForBuild(provider, jobRef);
      expect(status).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(/^the builder could not start \(line \d+\)$/),
      });
      expect(await readWholeBuildLog(provider, jobRef)).toMatch(/^ ! {5}the builder could not start/m);
      // The platform terminated the builder once it knew.
      const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      expect(after.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
    } finally {
      await imds.stop();
      await rm(root, { recursive: true, force: true });
      await repo.remove();
      ec2.destroy();
    }
  }, 90_000);
});

function runScript(script: string, env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

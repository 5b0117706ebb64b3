import { createApp, createCloudAccount, listCloudAccounts, reconcilePlatform } from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
import {
  type BuilderDouble,
  MOTO_CREDENTIALS,
  type MotoServer,
  prepareAwsAccount,
  startBuilderDouble,
  startMotoServer,
} from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Cloud accounts added through the API: checked by a worker (the role can be
// assumed with its ExternalId, the network is there), then chosen per app.
describe('AWS cloud accounts', () => {
  let moto: MotoServer;
  let builder: BuilderDouble;
  let engine: Engine;
  const deps = () => ({ ...engine.ctx, cloud: { provider: 'aws' as const, region: 'us-east-1' } });

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    moto = await startMotoServer();
    await prepareAwsAccount(moto.endpoint);
    builder = startBuilderDouble({ endpoint: moto.endpoint, region: 'us-east-1' });
    engine = await startEngine({ aws: { endpoint: moto.endpoint } });
    engine.startWorker();
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await builder?.stop();
    await moto?.stop();
  }, 60_000);

  it('checks a new account by assuming its role, and says why one cannot be used', async () => {
    await createCloudAccount(
      deps(),
      {
        name: 'team-aws',
        provider: 'aws',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::123456789012:role/paas-platform',
        externalId: 'a-long-shared-secret-1234',
      },
      admin,
    );
    // A region the provider does not know is refused up front, before anything is written.
    await expect(
      createCloudAccount(deps(), { name: 'far-away', provider: 'aws', region: 'xx-north-9' }, admin),
    ).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/not an AWS region/) });
    expect(await engine.db.cloudAccount.count({ where: { name: 'far-away' } })).toBe(0);
    // The platform's own account (made on first use, with no job of its own) is checked by the reconciler.
    await reconcilePlatform(engine.ctx);
    await waitUntil(
      "every account to be checked, the platform's own included",
      async () => (await listCloudAccounts(engine.ctx)).every((a) => a.status !== 'checking'),
      30_000,
      200,
    );
    const accounts = Object.fromEntries((await listCloudAccounts(engine.ctx)).map((a) => [a.name, a]));
    expect(accounts['aws-us-east-1']).toMatchObject({ status: 'verified', auth: 'instance_profile' });
    expect(accounts['team-aws']).toMatchObject({ status: 'verified', awsAccountId: '123456789012', auth: 'assume_role' });
    expect(JSON.stringify(accounts)).not.toContain('a-long-shared-secret');
  }, 60_000);

  it('refuses an account it cannot take as given', async () => {
    for (const bad of [
      { name: 'x1', provider: 'aws', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r' },
      { name: 'x2', provider: 'aws', region: 'moon' },
      { name: 'x3', provider: 'gcp', region: 'us-east-1' },
      { name: 'x4', provider: 'aws', region: 'us-east-1', settings: { sizes: ['huge'] } },
      { name: 'x5', provider: 'aws', region: 'us-east-1', settings: { vpcId: 'not-a-vpc' } },
    ]) {
      await expect(createCloudAccount(deps(), bad, admin)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    await expect(
      createCloudAccount(deps(), { name: 'team-aws', provider: 'aws', region: 'us-east-1' }, admin),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('deploys an app in the account it was created in, through the assumed role', async () => {
    const repo: BareRepo = await engine.newRepo();
    await createApp(deps(), { name: 'in-team', repoUrl: repo.url, cloudAccount: 'team-aws' }, admin);
    await expect(
      createApp(deps(), { name: 'nowhere', repoUrl: repo.url, cloudAccount: 'no-such-account' }, admin),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'in-team' }, include: { cloudAccount: true } });
    expect(app.cloudAccount.name).toBe('team-aws');
    const sha = await repo.commit(sampleAppFiles({ text: 'team' }), 'team');
    expect((await engine.settled(await engine.push(repo, sha), 60_000)).state).toBe('succeeded');
  }, 90_000);
});

import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { completeGithubAppSetup, connectRepository, requestDeploy } from '@paas/core';
import { type BareRepo, createBareRepo, type FakeGithub, getViaRouter, sampleAppFiles, startFakeGithub } from '@paas/testing';
import { type AwsTwin, MOTO_CREDENTIALS, startAwsTwin } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// A repository behind the GitHub App, built on AWS (the twin): the builder gets
// the commit's tarball with a token for that repository only, which reaches it
// through a SecureString parameter (deleted once the build ends), never user data.
describe('GitHub source on AWS (the twin)', () => {
  let twin: AwsTwin;
  let github: FakeGithub;
  let engine: Engine;
  let source: BareRepo;
  const repository = { id: 7070, fullName: 'acme/api', private: true };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    [twin, github, source] = await Promise.all([startAwsTwin(), startFakeGithub(), createBareRepo()]);
    engine = await startEngine({ aws: { endpoint: twin.endpoint }, githubApiUrl: github.url });
    engine.startWorker();
    await completeGithubAppSetup(engine.ctx, github.manifestCode({ name: 'paas-twin' }), admin);
    github.install({
      id: 31,
      account: { login: 'acme', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: [{ ...repository, gitDir: source.path }],
    });
    const installation = await engine.db.githubInstallation.create({
      data: { installationId: 31n, accountLogin: 'acme', accountType: 'Organization' },
    });
    await engine.db.githubRepository.create({
      data: { id: BigInt(repository.id), installationId: installation.id, fullName: repository.fullName, private: true },
    });
  }, 180_000);
  afterAll(async () => {
    await engine?.stop();
    await twin?.stop();
    await github?.stop();
    await source?.remove();
  }, 60_000);

  it('deploys the pushed commit from its tarball; the token is in no user data and its parameter is gone after', async () => {
    await engine.newApp('api');
    await connectRepository({ db: engine.db, githubUrl: github.url }, 'api', { repositoryId: repository.id }, admin);
    const sha = await source.commit(sampleAppFiles({ text: 'api from the tarball' }), 'api');
    // Deploy the branch: the platform resolves it to its commit through GitHub's API first.
    const asked = await requestDeploy(engine.ctx, 'api', {}, admin);
    const done = await engine.settled(asked.id, 180_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', commitSha: sha });
    expect((await getViaRouter(twin.loadBalancer.port, 'api.apps.example.test')).body).toBe('api from the tarball');

    const tokens = [...github.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS });
    const ssm = new SSMClient({ region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS });
    try {
      const all = await ec2.send(new DescribeInstancesCommand({}));
      for (const instance of (all.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const attr = await ec2.send(
          new DescribeInstanceAttributeCommand({ InstanceId: instance.InstanceId, Attribute: 'userData' }),
        );
        const userData = Buffer.from(attr.UserData?.Value ?? '', 'base64').toString('utf8');
        for (const token of tokens) expect(userData).not.toContain(token);
      }
      const build = await engine.db.build.findUniqueOrThrow({ where: { id: done.buildId as string } });
      for (const token of tokens) expect(build.log).not.toContain(token);
      const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'api' } });
      await expect(
        ssm.send(
          new GetParameterCommand({ Name: `/paas/apps/${app.id}/builds/${build.id}/git-credentials`, WithDecryption: true }),
        ),
      ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    } finally {
      ec2.destroy();
      ssm.destroy();
    }
  }, 240_000);
});

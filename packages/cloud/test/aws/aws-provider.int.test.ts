import { randomBytes, randomUUID } from 'node:crypto';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AppRef, CloudProvider } from '@paas/core';
import { capacity, createBareRepo, describeOne, sampleAppFiles, waitFor, waitForBuild, webProcess } from '@paas/testing';
import {
  type AwsFaultProxy,
  type BuilderDouble,
  MOTO_CREDENTIALS,
  type MotoServer,
  prepareAwsAccount,
  startAwsFaultProxy,
  startBuilderDouble,
  startMotoServer,
} from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsCallStats, createAwsProvider, parseAwsSettings } from '../../src/aws/index';
import { emulatedAwsProvider } from './emulated-provider';

// The AWS provider against moto, read back through AWS's own APIs rather than
// trusted. A proxy in front of moto plays what moto cannot: throttling,
// missing permissions and load balancer health.
let moto: MotoServer;
let proxy: AwsFaultProxy;
let builder: BuilderDouble;
let redis: Redis;
const region = 'us-east-1';
const direct = () => ({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });

function provider(settings: Record<string, unknown> = {}, stats?: AwsCallStats): CloudProvider {
  return emulatedAwsProvider(proxy.endpoint, redis, { settings, ...(stats ? { stats } : {}), baseDelayMs: 20 });
}

beforeAll(async () => {
  moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint);
  proxy = await startAwsFaultProxy(moto.endpoint);
  builder = startBuilderDouble({ endpoint: moto.endpoint, region });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
}, 60_000);

afterAll(async () => {
  await builder?.stop();
  await proxy?.stop();
  redis?.disconnect();
  await moto?.stop();
}, 60_000);

async function bakedRelease(cloud: CloudProvider, app: AppRef) {
  const repo = await createBareRepo();
  await repo.commit(sampleAppFiles({ text: 'hi' }), 'app');
  const { jobRef } = await cloud.startImageBuild({
    app,
    buildId: randomUUID(),
    repoUrl: repo.url,
    ref: 'main',
    definition: 'node-1',
  });
  const built = await waitForBuild(cloud, jobRef);
  await repo.remove();
  if (built.state !== 'succeeded') throw new Error(`build failed: ${JSON.stringify(built)}`);
  const { configRef } = await cloud.putConfig({ app, version: 1, vars: { DATABASE_PASSWORD: 'hunter2-secret' } });
  const release = { id: randomUUID(), version: 1 };
  const { templateRef } = await cloud.createReleaseTemplate({
    app,
    release,
    imageRef: built.imageRef,
    configRef,
    processes: { web: { ...webProcess(), healthCheck: { ...webProcess().healthCheck!, gracePeriodMs: 0 } } },
  });
  return { jobRef, built, release, templateRef };
}

describe('AWS provider on moto', () => {
  it('bakes, releases and switches red/black through 10% throttled calls; AWS state is what the issue asks', async () => {
    const stats: AwsCallStats = { calls: 0, throttled: 0 };
    const cloud = provider({}, stats);
    const app: AppRef = { id: randomUUID(), name: `it-${randomBytes(3).toString('hex')}`, teamId: randomUUID() };
    proxy.faults.throttleRate = 0.1;
    try {
      const { built, release, templateRef } = await bakedRelease(cloud, app);
      const blue = await cloud.ensureServerGroup({
        id: randomUUID(),
        app,
        release,
        processType: 'web',
        templateRef,
        capacity: capacity(2),
      });
      await cloud.registerServerGroup(app, blue.ref);
      await cloud.switchTraffic({ app, hostnames: cloud.defaultHostnames(app.name), serverGroupRef: blue.ref });
      const green = await cloud.ensureServerGroup({
        id: randomUUID(),
        app,
        release,
        processType: 'web',
        templateRef,
        capacity: capacity(2),
      });
      await cloud.registerServerGroup(app, green.ref);
      await cloud.switchTraffic({ app, hostnames: cloud.defaultHostnames(app.name), serverGroupRef: green.ref });
      await cloud.disableServerGroup(blue.ref);
      expect(stats.throttled).toBeGreaterThan(0);
      expect(proxy.throttled()).toBeGreaterThan(0);

      const ec2 = new EC2Client(direct());
      const asg = new AutoScalingClient(direct());
      const elb = new ElasticLoadBalancingV2Client(direct());
      const ssm = new SSMClient(direct());
      // The builder is gone; the image is tagged for cost allocation.
      const builders = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:paas:role', Values: ['builder'] },
            { Name: 'tag:paas:app', Values: [app.id] },
          ],
        }),
      );
      const states = (builders.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
      expect(states).toEqual(['terminated']);
      const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [built.imageRef] }))).Images?.[0];
      const imageTags = Object.fromEntries((image?.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(imageTags).toMatchObject({ 'paas:app': app.id, 'paas:team': app.teamId, 'paas:role': 'image' });
      // A numbered launch template version with IMDSv2, and no secret in its user data.
      const ref = JSON.parse(templateRef) as { processes: { web: { launchTemplateId: string; version: number } } };
      const version = (
        await ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: ref.processes.web.launchTemplateId,
            Versions: [String(ref.processes.web.version)],
          }),
        )
      ).LaunchTemplateVersions?.[0];
      expect(version?.LaunchTemplateData?.MetadataOptions?.HttpTokens).toBe('required');
      expect(version?.LaunchTemplateData?.KeyName).toBeUndefined();
      const userData = Buffer.from(version?.LaunchTemplateData?.UserData ?? '', 'base64').toString();
      expect(userData).toContain('PAAS_CONFIG_PARAMETER=');
      expect(userData).not.toContain('hunter2');
      const params = await ssm.send(new GetParametersByPathCommand({ Path: `/paas/apps/${app.id}/config/`, Recursive: true }));
      expect(params.Parameters?.map((p) => p.Type)).toEqual(['SecureString']);
      // Both groups pinned to the version; green serves, blue is kept warm at weight 0.
      const groups = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [blue.ref, green.ref] }));
      for (const g of groups.AutoScalingGroups ?? []) {
        expect(g.LaunchTemplate?.Version).toBe(String(ref.processes.web.version));
        expect(g.Instances).toHaveLength(2);
      }
      const tgs = await elb.send(new DescribeTargetGroupsCommand({}));
      const tgOf = (groupRef: string) =>
        groups.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupRef)?.TargetGroupARNs?.[0] as string;
      const traffic = await cloud.describeTraffic(app);
      const rules = await elb.send(
        new DescribeRulesCommand({ RuleArns: undefined, ListenerArn: await listenerOf(elb, traffic?.dnsTarget) }),
      );
      const rule = rules.Rules?.find((r) =>
        r.Conditions?.[0]?.HostHeaderConfig?.Values?.includes(`${app.name}.apps.example.test`),
      );
      const weights = Object.fromEntries(
        (rule?.Actions?.[0]?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn, t.Weight]),
      );
      expect(weights).toEqual({ [tgOf(blue.ref)]: 0, [tgOf(green.ref)]: 1 });
      expect(tgs.TargetGroups?.find((t) => t.TargetGroupArn === tgOf(green.ref))?.HealthCheckIntervalSeconds).toBe(5);
      expect(traffic).toMatchObject({ serverGroupRef: green.ref, registered: expect.arrayContaining([blue.ref, green.ref]) });
      expect((await describeOne(cloud, blue.ref))?.enabled).toBe(false);

      // Scaling in takes the chosen instances out of the target group before they go.
      proxy.faults.throttleRate = 0;
      await cloud.setCapacity(green.ref, capacity(1));
      const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgOf(green.ref) }));
      expect(health.TargetHealthDescriptions).toHaveLength(1);

      // Teardown leaves nothing of the app.
      await cloud.teardownApp(app);
      const left = await asg.send(
        new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }),
      );
      expect(left.AutoScalingGroups).toEqual([]);
      const tgsAfter = await elb.send(new DescribeTargetGroupsCommand({}));
      expect(
        tgsAfter.TargetGroups?.some((t) => t.TargetGroupArn === tgOf(blue.ref) || t.TargetGroupArn === tgOf(green.ref)),
      ).toBe(false);
      const imagesAfter = await ec2.send(
        new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }),
      );
      expect(imagesAfter.Images).toEqual([]);
      const paramsAfter = await ssm.send(new GetParametersByPathCommand({ Path: `/paas/apps/${app.id}/`, Recursive: true }));
      expect(paramsAfter.Parameters).toEqual([]);
      expect(await cloud.describeTraffic(app)).toBeNull();
    } finally {
      proxy.faults.throttleRate = 0;
    }
  }, 120_000);

  it('reports load balancer health as it is: starting while initial, failed checks with their reason', async () => {
    const cloud = provider();
    const app: AppRef = { id: randomUUID(), name: `hc-${randomBytes(3).toString('hex')}` };
    const { release, templateRef } = await bakedRelease(cloud, app);
    const group = await cloud.ensureServerGroup({
      id: randomUUID(),
      app,
      release,
      processType: 'web',
      templateRef,
      capacity: capacity(1),
    });
    await cloud.registerServerGroup(app, group.ref);
    try {
      proxy.faults.targetHealth = () => 'initial';
      expect((await describeOne(cloud, group.ref))?.instances.map((i) => i.health)).toEqual(['starting']);
      proxy.faults.targetHealth = () => 'unhealthy';
      const [instance] = (await describeOne(cloud, group.ref))?.instances ?? [];
      // Within the group's grace period failed checks mean "still booting", as for the Auto Scaling Group.
      expect(instance).toMatchObject({ health: 'starting', detail: expect.stringContaining('Target.FailedHealthChecks') });
      proxy.faults.targetHealth = () => 'healthy';
      expect((await describeOne(cloud, group.ref))?.instances.map((i) => i.health)).toEqual(['healthy']);
    } finally {
      proxy.faults.targetHealth = null;
      await cloud.teardownApp(app);
    }
  }, 60_000);

  it('a missing permission is a clear error and leaves no instance behind', async () => {
    const cloud = provider();
    const app: AppRef = { id: randomUUID(), name: `deny-${randomBytes(3).toString('hex')}` };
    const repo = await createBareRepo();
    await repo.commit(sampleAppFiles({ text: 'x' }), 'app');
    proxy.faults.deny.add('RunInstances');
    try {
      await expect(
        cloud.startImageBuild({ app, buildId: randomUUID(), repoUrl: repo.url, ref: 'main', definition: 'node-1' }),
      ).rejects.toMatchObject({ code: 'cloud_failed', message: expect.stringMatching(/RunInstances.*lacks a permission/) });
    } finally {
      proxy.faults.deny.delete('RunInstances');
      await repo.remove();
    }
    const ec2 = new EC2Client(direct());
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }));
    expect((out.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toEqual([]);
    await cloud.teardownApp(app);
  }, 60_000);

  it('opens another load balancer when one is full, and says where each app must point', async () => {
    const cloud = provider({ appsPerLoadBalancer: 1, loadBalancerPrefix: `lb${randomBytes(2).toString('hex')}` });
    const apps: AppRef[] = [0, 1].map((i) => ({ id: randomUUID(), name: `full-${i}-${randomBytes(2).toString('hex')}` }));
    const targets: string[] = [];
    for (const app of apps) {
      const { release, templateRef } = await bakedRelease(cloud, app);
      const group = await cloud.ensureServerGroup({
        id: randomUUID(),
        app,
        release,
        processType: 'web',
        templateRef,
        capacity: capacity(1),
      });
      await cloud.registerServerGroup(app, group.ref);
      await cloud.switchTraffic({ app, hostnames: cloud.defaultHostnames(app.name), serverGroupRef: group.ref });
      targets.push((await cloud.describeTraffic(app))?.dnsTarget ?? '');
    }
    expect(targets[0]).toBeTruthy();
    expect(targets[1]).toBeTruthy();
    expect(targets[0]).not.toBe(targets[1]);
    for (const app of apps) await cloud.teardownApp(app);
  }, 90_000);

  it('refuses bad input before creating anything: capacity out of bounds, an unknown region', async () => {
    const cloud = provider({ maxInstancesPerGroup: 3 });
    const app: AppRef = { id: randomUUID(), name: 'bounds' };
    await expect(
      cloud.ensureServerGroup({
        id: randomUUID(),
        app,
        release: { id: randomUUID(), version: 1 },
        processType: 'web',
        templateRef: '{}',
        capacity: capacity(4),
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/at most 3/) });
    expect(() =>
      createAwsProvider({
        accountId: 'x',
        region: 'mars-north-1',
        auth: { method: 'default' },
        settings: parseAwsSettings({ baseDomain: 'apps.example.test' }),
        redisPrefix: 'x',
        log: { info() {}, warn() {}, error() {} },
      }),
    ).toThrow(/not an AWS region/);
    await waitFor('nothing', async () => true, 10);
  });
});

async function listenerOf(elb: ElasticLoadBalancingV2Client, dnsName: string | undefined): Promise<string> {
  const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
  const lb = lbs.LoadBalancers?.find((l) => l.DNSName === dnsName);
  const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  return listeners.Listeners?.[0]?.ListenerArn as string;
}

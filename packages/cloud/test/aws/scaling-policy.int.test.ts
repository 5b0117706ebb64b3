import { randomBytes, randomUUID } from 'node:crypto';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AppRef, CloudProvider } from '@paas/core';
import { describeOne } from '@paas/testing';
import {
  type AwsFaultProxy,
  MOTO_CREDENTIALS,
  type MotoServer,
  prepareAwsAccount,
  startAwsFaultProxy,
  startMotoServer,
} from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalingPolicyInput } from '../../src/aws/groups/scaling-policy-input';
import { emulatedAwsProvider } from './emulated-provider';
import { loadBalancerArnOf, releaseOnStockImage, targetGroupArnOf } from './web-groups';

// Target tracking read back as moto stores it (moto keeps policies but never
// acts on them: what a policy would do is AWS's part, not the provider's).
let moto: MotoServer;
let proxy: AwsFaultProxy;
let redis: Redis;
let cloud: CloudProvider;
let asg: AutoScalingClient;
let elb: ElasticLoadBalancingV2Client;

beforeAll(async () => {
  moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint);
  proxy = await startAwsFaultProxy(moto.endpoint);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  cloud = emulatedAwsProvider(proxy.endpoint, redis);
  const direct = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 };
  asg = new AutoScalingClient(direct);
  elb = new ElasticLoadBalancingV2Client(direct);
}, 60_000);

afterAll(async () => {
  asg?.destroy();
  elb?.destroy();
  await proxy?.stop();
  redis?.disconnect();
  await moto?.stop();
}, 60_000);

const newApp = (): AppRef => ({ id: randomUUID(), name: `scaling-${randomBytes(3).toString('hex')}` });
const policiesOf = async (ref: string) =>
  (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: ref }))).ScalingPolicies ?? [];
const groupOf = async (ref: string) =>
  (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [ref] }))).AutoScalingGroups?.[0];

describe('scaling policies on moto', () => {
  it('puts one target-tracking policy per group, replaces it, removes it; describe shows it, in one call for many groups', async () => {
    const app = newApp();
    const release = await releaseOnStockImage(cloud, moto.endpoint, app);
    const ref = await release.group('web', 2);
    const other = await release.group('web', 1);

    await cloud.setScalingPolicy(ref, { metric: 'cpu', target: 55 });
    await cloud.setScalingPolicy(ref, { metric: 'cpu', target: 55 });
    expect(await policiesOf(ref)).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: ref,
        PolicyName: `${ref}-target-tracking`,
        PolicyType: 'TargetTrackingScaling',
        // The web process's health check grace period (30 s): a booting instance's CPU does not count.
        EstimatedInstanceWarmup: 30,
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 55,
          DisableScaleIn: false,
        },
      }),
    ]);
    expect((await describeOne(cloud, ref))?.scaling).toEqual({ metric: 'cpu', target: 55 });

    // Replaced in place: requests per target, counted on the group's target group of the app's load balancer.
    await cloud.setScalingPolicy(ref, { metric: 'requests', target: 120 });
    const lb = (await loadBalancerArnOf(moto.endpoint, cloud, app)).split(':loadbalancer/')[1];
    const tg = (await targetGroupArnOf(moto.endpoint, ref)).split(':').at(-1);
    expect(await policiesOf(ref)).toEqual([
      expect.objectContaining({
        PolicyName: `${ref}-target-tracking`,
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: `${lb}/${tg}` },
          TargetValue: 120,
          DisableScaleIn: false,
        },
      }),
    ]);
    expect(`${lb}/${tg}`).toMatch(/^app\/[^/]+\/[^/]+\/targetgroup\/paas-[0-9a-f]{27}\/[^/]+$/);

    // Both groups described with one DescribePolicies call; a group without a policy has none.
    const before = proxy.calls.get('autoscaling:DescribePolicies') ?? 0;
    const described = await cloud.describeServerGroups([ref, other, `paas-${randomUUID()}`]);
    expect((proxy.calls.get('autoscaling:DescribePolicies') ?? 0) - before).toBe(1);
    expect(described.get(ref)?.scaling).toEqual({ metric: 'requests', target: 120 });
    expect(described.get(other)?.scaling).toBeNull();

    await cloud.setScalingPolicy(ref, null);
    await cloud.setScalingPolicy(ref, null);
    expect(await policiesOf(ref)).toEqual([]);
    expect((await describeOne(cloud, ref))?.scaling).toBeNull();
    // A group that is gone has no policy to remove.
    await cloud.setScalingPolicy(`paas-${randomUUID()}`, null);
  });

  it('finishes the work of an attempt that crashed after AWS acted: the same single policy, or none', async () => {
    const app = newApp();
    const ref = await (await releaseOnStockImage(cloud, moto.endpoint, app)).group('web', 1);
    // The earlier attempt's PutScalingPolicy reached AWS; its answer was lost with the worker.
    await asg.send(
      new PutScalingPolicyCommand(
        scalingPolicyInput({ groupRef: ref, policy: { metric: 'cpu', target: 40 }, warmupSeconds: 30 }),
      ),
    );
    await cloud.setScalingPolicy(ref, { metric: 'cpu', target: 40 });
    const policies = await policiesOf(ref);
    expect(policies).toHaveLength(1);
    expect(policies[0]?.TargetTrackingConfiguration?.TargetValue).toBe(40);
    // The earlier attempt's DeletePolicy reached AWS: the retry finds nothing to remove and is done.
    await cloud.setScalingPolicy(ref, null);
    await cloud.setScalingPolicy(ref, null);
    expect(await policiesOf(ref)).toEqual([]);
    // Destroying the group takes its policy along (as on AWS).
    await cloud.setScalingPolicy(ref, { metric: 'cpu', target: 40 });
    await cloud.destroyServerGroup(ref);
    expect((await asg.send(new DescribePoliciesCommand({ PolicyNames: [`${ref}-target-tracking`] }))).ScalingPolicies).toEqual(
      [],
    );
  });

  it('refuses what cannot be tracked, before changing anything', async () => {
    const app = newApp();
    const release = await releaseOnStockImage(cloud, moto.endpoint, app);
    const worker = await release.group('worker', 1);
    const unregistered = await release.group('web', 1, false);
    await expect(cloud.setScalingPolicy(worker, { metric: 'requests', target: 100 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(cloud.setScalingPolicy(unregistered, { metric: 'requests', target: 100 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    for (const bad of [
      { metric: 'cpu', target: 150 },
      { metric: 'cpu', target: 0 },
      { metric: 'memory', target: 50 },
    ]) {
      await expect(cloud.setScalingPolicy(worker, bad as never)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    await expect(cloud.setScalingPolicy(`paas-${randomUUID()}`, { metric: 'cpu', target: 50 })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await policiesOf(worker)).toEqual([]);
    expect(await policiesOf(unregistered)).toEqual([]);
    // A worker scales on CPU.
    await cloud.setScalingPolicy(worker, { metric: 'cpu', target: 70 });
    expect((await describeOne(cloud, worker))?.scaling).toEqual({ metric: 'cpu', target: 70 });
  });
});

describe('an account set up before autoscaling', () => {
  it('still has its groups described when its role may not read policies (it could not have put one)', async () => {
    const ref = await (await releaseOnStockImage(cloud, moto.endpoint, newApp())).group('web', 1);
    proxy.faults.deny.add('DescribePolicies');
    try {
      expect(await describeOne(cloud, ref)).toMatchObject({ ref, capacity: { min: 1, max: 1, desired: 1 }, scaling: null });
    } finally {
      proxy.faults.deny.delete('DescribePolicies');
    }
  });
});

describe('bounds for a group its policy sizes', () => {
  it('sets only MinSize and MaxSize: the count stays, or moves into them; above a new maximum instances leave the careful way', async () => {
    const app = newApp();
    const ref = await (await releaseOnStockImage(cloud, moto.endpoint, app)).group('web', 3);
    await cloud.setScalingPolicy(ref, { metric: 'cpu', target: 50 });
    const arn = await targetGroupArnOf(moto.endpoint, ref);

    await cloud.setCapacity(ref, { min: 1, max: 6 });
    expect(await groupOf(ref)).toMatchObject({ MinSize: 1, MaxSize: 6, DesiredCapacity: 3 });
    await cloud.setCapacity(ref, { min: 4, max: 6 });
    expect(await groupOf(ref)).toMatchObject({ MinSize: 4, MaxSize: 6, DesiredCapacity: 4 });

    // Lowered below the count, with a crash after the instances went and before the bounds were written.
    proxy.after.set('autoscaling:TerminateInstanceInAutoScalingGroup', async () => {
      proxy.faults.deny.add('UpdateAutoScalingGroup');
    });
    proxy.faults.deny.clear();
    try {
      await expect(cloud.setCapacity(ref, { min: 0, max: 2 })).rejects.toThrow();
    } finally {
      proxy.after.delete('autoscaling:TerminateInstanceInAutoScalingGroup');
      proxy.faults.deny.clear();
    }
    await cloud.setCapacity(ref, { min: 0, max: 2 });
    const group = await groupOf(ref);
    expect(group).toMatchObject({ MinSize: 0, MaxSize: 2, DesiredCapacity: 2 });
    const inGroup = (group?.Instances ?? []).filter((i) => !/Terminat/.test(i.LifecycleState ?? '')).map((i) => i.InstanceId);
    expect(inGroup).toHaveLength(2);
    // Only the instances that stay are registered with the load balancer.
    const registered = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [];
    expect(registered.map((t) => t.Target?.Id).sort()).toEqual([...inGroup].sort());
    expect((await describeOne(cloud, ref))?.scaling).toEqual({ metric: 'cpu', target: 50 });

    await expect(cloud.setCapacity(ref, { min: 3, max: 2 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(cloud.setCapacity(ref, { min: 0, max: 1.5 })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  addDomain,
  listDomains,
  reconcilePlatform,
  removeDomain,
  requestAppDeletion,
  requestRollback,
  updateAppSettings,
  updateConfig,
} from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// The deployment engine driving the AWS provider on moto: the worker's own
// handlers, Postgres, Redis; AWS state read back through AWS's APIs. A proxy
// plays load balancer health and throttling, a double plays the builder.
let moto: MotoServer;
let proxy: AwsFaultProxy;
let builder: BuilderDouble;
let engine: Engine;
let repo: BareRepo;
const direct = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  // Certificates validate after a second here (hours on AWS).
  moto = await startMotoServer({ MOTO_ACM_VALIDATION_WAIT: '1' });
  await prepareAwsAccount(moto.endpoint);
  proxy = await startAwsFaultProxy(moto.endpoint);
  builder = startBuilderDouble({ endpoint: moto.endpoint, region: 'us-east-1' });
  const acm = new ACMClient(direct());
  const wildcard = await acm.send(new RequestCertificateCommand({ DomainName: '*.apps.example.test', ValidationMethod: 'DNS' }));
  engine = await startEngine({
    aws: { endpoint: proxy.endpoint, certificateArn: wildcard.CertificateArn },
    healthTimeoutMs: 8_000,
  });
  engine.ctx.timings.domainPollMs = 200;
  repo = await engine.newApp('shop');
  engine.startWorker();
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await builder?.stop();
  await proxy?.stop();
  await moto?.stop();
}, 60_000);

async function groupsOfApp(appId: string) {
  const asg = new AutoScalingClient(direct());
  const out = await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:paas:app', Values: [appId] }] }));
  return out.AutoScalingGroups ?? [];
}

async function servingRef() {
  return (await servingTargetGroup('shop'))?.serverGroupRef;
}

async function servingTargetGroup(appName: string) {
  const cloud = await engine.providerOf(appName);
  const app = await engine.db.app.findUniqueOrThrow({ where: { name: appName } });
  return cloud.describeTraffic({ id: app.id, name: app.name });
}

describe('the engine on the AWS provider', () => {
  it('deploys, deploys again red/black, and rolls back at once to the warm group', async () => {
    const one = await repo.commit(sampleAppFiles({ text: 'one' }), 'one');
    const first = await engine.settled(await engine.push(repo, one), 60_000);
    expect(first).toMatchObject({ state: 'succeeded' });
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'shop' } });
    const v1Group = await engine.db.serverGroup.findFirstOrThrow({ where: { appId: app.id, receivesTraffic: true } });
    expect((await servingTargetGroup('shop'))?.serverGroupRef).toBe(v1Group.providerRef);

    const two = await repo.commit(sampleAppFiles({ text: 'two' }), 'two');
    expect(await engine.settled(await engine.push(repo, two, one), 60_000)).toMatchObject({ state: 'succeeded' });
    const v2Group = await engine.db.serverGroup.findFirstOrThrow({ where: { appId: app.id, receivesTraffic: true } });
    const traffic = await servingTargetGroup('shop');
    expect(traffic).toMatchObject({
      serverGroupRef: v2Group.providerRef,
      registered: expect.arrayContaining([v1Group.providerRef]),
    });
    // AWS holds both groups: the new one serving, the old one warm (disabled) for an instant rollback.
    const groups = await groupsOfApp(app.id);
    const enabled = Object.fromEntries(
      groups.map((g) => [g.AutoScalingGroupName, g.Tags?.find((t) => t.Key === 'paas:enabled')?.Value]),
    );
    expect(enabled).toEqual({ [v1Group.providerRef as string]: 'false', [v2Group.providerRef as string]: 'true' });
    // Every builder was terminated; one image per commit.
    const ec2 = new EC2Client(direct());
    const builders = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:paas:role', Values: ['builder'] }] }));
    expect(new Set((builders.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name))).toEqual(
      new Set(['terminated']),
    );
    const images = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }),
    );
    expect(images.Images).toHaveLength(2);

    const callsBefore = proxy.calls.get('autoscaling:CreateAutoScalingGroup') ?? 0;
    const rollback = await engine.settled((await requestRollback(engine.ctx, 'shop', { version: 1 }, admin)).id, 60_000);
    expect(rollback.state).toBe('succeeded');
    expect((await servingTargetGroup('shop'))?.serverGroupRef).toBe(v1Group.providerRef);
    // No new group, no new bake: the warm group took the traffic back.
    expect(proxy.calls.get('autoscaling:CreateAutoScalingGroup') ?? 0).toBe(callsBefore);

    // Past its retention window the warm group (v2's, now) is removed from the account.
    engine.ctx.timings.warmRetentionMs = 0;
    try {
      await reconcilePlatform(engine.ctx);
    } finally {
      engine.ctx.timings.warmRetentionMs = null;
    }
    expect((await groupsOfApp(app.id)).map((g) => g.AutoScalingGroupName)).toEqual([v1Group.providerRef]);
    expect(await engine.db.serverGroup.findUniqueOrThrow({ where: { id: v2Group.id } })).toMatchObject({ status: 'destroyed' });
  }, 180_000);

  it('rolls a release that never becomes healthy back by itself: the new group goes, the old one keeps serving', async () => {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'shop' } });
    const before = await servingTargetGroup('shop');
    const serving = before?.serverGroupRef;
    // Every target of a group other than the serving one stays "initial": its instances never answer.
    const elb = new ElasticLoadBalancingV2Client(direct());
    const servingTg = (await groupsOfApp(app.id)).find((g) => g.AutoScalingGroupName === serving)?.TargetGroupARNs?.[0];
    proxy.faults.targetHealth = ({ targetGroupArn }) => (targetGroupArn === servingTg ? null : 'initial');
    try {
      const three = await repo.commit(sampleAppFiles({ text: 'three' }), 'three');
      const failed = await engine.settled(await engine.push(repo, three), 90_000);
      expect(failed).toMatchObject({ state: 'failed', errorCode: 'health_check_timeout' });
    } finally {
      proxy.faults.targetHealth = null;
    }
    expect((await servingTargetGroup('shop'))?.serverGroupRef).toBe(serving);
    const refs = (await groupsOfApp(app.id)).map((g) => g.AutoScalingGroupName);
    const failedGroups = await engine.db.serverGroup.findMany({
      where: { appId: app.id, status: { in: ['destroyed', 'destroying'] } },
    });
    for (const g of failedGroups) expect(refs).not.toContain(g.providerRef);
    const tgs = await elb.send(new DescribeTargetGroupsCommand({}));
    expect((tgs.TargetGroups ?? []).length).toBe(refs.length);
  }, 180_000);

  it('serves a custom domain once its certificate is issued, publishing the validation record in the account’s zone', async () => {
    const r53 = new Route53Client(direct());
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'shop-example.org', CallerReference: 'zone-1' }));
    const zoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
    const deps = { ...engine.ctx, baseDomain: 'apps.example.test' };
    await expect(addDomain(deps, 'shop', { hostname: 'shop.apps.example.test' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(addDomain(deps, 'shop', { hostname: 'not a host' }, admin)).rejects.toMatchObject({ code: 'validation_failed' });
    await addDomain(deps, 'shop', { hostname: 'WWW.shop-example.org' }, admin);
    await expect(addDomain(deps, 'shop', { hostname: 'www.shop-example.org' }, admin)).rejects.toMatchObject({
      code: 'conflict',
    });

    await waitUntil(
      'the domain to be served',
      async () => (await listDomains(engine.ctx, 'shop'))[0]?.status === 'active',
      30_000,
      200,
    );
    const [domain] = await listDomains(engine.ctx, 'shop');
    const traffic = await servingTargetGroup('shop');
    expect(traffic?.hostnames).toContain('www.shop-example.org');
    // What the owner must publish: the validation CNAME, and the name pointing at the app's load balancer.
    expect(domain?.dnsRecords).toContainEqual({ name: 'www.shop-example.org', type: 'CNAME', value: traffic?.dnsTarget });
    const validation = domain?.dnsRecords.find((r) => r.name.startsWith('_'));
    const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(records.ResourceRecordSets?.map((r) => r.Name)).toContain(validation?.name);
    const cert = await engine.db.certificate.findFirstOrThrow({ where: { domainNames: { has: 'www.shop-example.org' } } });
    const elb = new ElasticLoadBalancingV2Client(direct());
    const listener = await listenerServing(elb, traffic?.dnsTarget);
    const attached = await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listener }));
    expect(attached.Certificates?.map((c) => c.CertificateArn)).toContain(cert.providerRef);

    await removeDomain(engine.ctx, 'shop', 'www.shop-example.org', admin);
    await waitUntil('the domain to be removed', async () => (await listDomains(engine.ctx, 'shop')).length === 0, 30_000, 200);
    expect((await servingTargetGroup('shop'))?.hostnames).not.toContain('www.shop-example.org');
    const after = await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listener }));
    expect(after.Certificates?.map((c) => c.CertificateArn)).not.toContain(cert.providerRef);
    await expect(
      new ACMClient(direct()).send(new DescribeCertificateCommand({ CertificateArn: cert.providerRef as string })),
    ).rejects.toThrow();
  }, 90_000);

  it('uses the app’s own health check from its next release', async () => {
    await expect(updateAppSettings(engine.ctx, 'shop', { healthCheck: { intervalSeconds: 0 } }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      updateAppSettings(engine.ctx, 'shop', { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } }, admin),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await updateAppSettings(
      engine.ctx,
      'shop',
      { healthCheck: { path: '/healthz', intervalSeconds: 10, healthyThreshold: 3 } },
      admin,
    );
    const change = await updateConfig(engine.ctx, 'shop', { GREETING: 'hi' }, admin);
    expect((await engine.settled(change.deployment?.id as string, 60_000)).state).toBe('succeeded');
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'shop' } });
    const ref = await servingRef();
    const serving = (await groupsOfApp(app.id)).find((g) => g.AutoScalingGroupName === ref);
    const elb = new ElasticLoadBalancingV2Client(direct());
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: serving?.TargetGroupARNs }))).TargetGroups?.[0];
    expect(tg).toMatchObject({ HealthCheckPath: '/healthz', HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3 });
  }, 90_000);

  it('deleting the app removes everything it owns in the account', async () => {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'shop' } });
    await requestAppDeletion(engine.ctx, 'shop', admin);
    await waitUntil(
      'the app to be gone',
      async () => (await engine.db.app.findUnique({ where: { id: app.id } })) === null,
      60_000,
      200,
    );
    expect(await groupsOfApp(app.id)).toEqual([]);
    const elb = new ElasticLoadBalancingV2Client(direct());
    expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toEqual([]);
    const ec2 = new EC2Client(direct());
    const images = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }),
    );
    expect(images.Images).toEqual([]);
  }, 90_000);
});

async function listenerServing(elb: ElasticLoadBalancingV2Client, dnsName: string | undefined): Promise<string> {
  const lb = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers?.find((l) => l.DNSName === dnsName);
  const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
  return listeners.find((l) => l.Port === 443)?.ListenerArn as string;
}

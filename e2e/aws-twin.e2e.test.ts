import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  pushPayload,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { type AwsTwin, countAwsLeaks, MOTO_CREDENTIALS, startAwsTwin } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A push served through the AWS provider, end to end on this machine: the
// whole platform (web, worker) with an AWS cloud account pointed at the AWS
// twin, where the builder and every app instance run the real user data and
// agent, and the twin's load balancer routes and health-checks for real.
describe('push to live on AWS (the twin)', () => {
  let twin: AwsTwin;
  let platform: RunningPlatform;
  let repo: BareRepo;
  const app = 'twin-shop';
  const domain = 'apps.example.test';
  const host = `${app}.${domain}`;
  const get = (path = '/') => getViaRouter(twin.loadBalancer.port, host, path);
  const deployments = async () =>
    platform.db.deployment.findMany({ where: { app: { name: app } }, orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    twin = await startAwsTwin();
    platform = await startPlatform({
      healthTimeoutMs: 20_000,
      env: twin.platformEnv,
    });
    repo = await createBareRepo();
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    await twin?.stop();
    await repo?.remove();
  }, 120_000);

  async function push(text: string, scripts?: Record<string, string>) {
    const sha = await repo.commit(sampleAppFiles({ text, ...(scripts ? { scripts } : {}) }), `serve ${text}`);
    const delivery = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body: JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha, message: `serve ${text}` })),
    });
    expect(delivery.status, JSON.stringify(delivery.json)).toBe(202);
    return sha;
  }

  /** Polls the app through the load balancer until stopped; every answer must be 200 with one of `texts`. */
  function keepPolling(texts: string[]) {
    const failures: string[] = [];
    let answered = 0;
    let polling = true;
    const done = (async () => {
      while (polling) {
        const res = await get().catch((error: unknown) => ({ status: 0, body: String(error) }));
        if (res.status !== 200 || !texts.includes(res.body)) failures.push(`${res.status} ${res.body.slice(0, 80)}`);
        else answered++;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    return {
      async stop() {
        polling = false;
        await done;
        return { failures, answered };
      },
    };
  }

  async function instancesOf(): Promise<{ inMoto: number; running: number }> {
    const asg = new AutoScalingClient({ region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS });
    const serving = await platform.db.serverGroup.findFirstOrThrow({ where: { app: { name: app }, receivesTraffic: true } });
    const group = (
      await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [serving.providerRef as string] }))
    ).AutoScalingGroups?.[0];
    asg.destroy();
    const ids = new Set((group?.Instances ?? []).map((i) => i.InstanceId));
    const running = twin.runner.live().filter((i) => ids.has(i.instanceId) && !i.exited).length;
    return { inMoto: ids.size, running };
  }

  it('deploys a push: the builder bakes it, instances boot it, the load balancer serves it', async () => {
    const account = await platform.api('POST', '/api/v1/cloud-accounts', { name: 'twin', provider: 'aws', region: 'us-east-1' });
    expect(account.status, account.text).toBe(201);
    await waitUntil(
      'the account to be verified',
      async () => {
        const list = await platform.api('GET', '/api/v1/cloud-accounts');
        return list.json.cloudAccounts.find((a: { name: string }) => a.name === 'twin')?.status === 'verified';
      },
      60_000,
      250,
    );
    const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, cloudAccount: 'twin' });
    expect(created.status, created.text).toBe(201);
    // The slider prices an AWS app: the instance type of each size and the apps sharing the load balancer.
    const priced = await platform.api('GET', `/api/v1/apps/${app}`);
    expect(priced.json.app.pricing).toMatchObject({
      region: 'us-east-1',
      instanceTypes: { small: 't3.micro', medium: 't3.small' },
      appsOnLoadBalancer: 1,
    });

    await push('hello from the twin v1');
    await waitUntil('v1 through the load balancer', async () => (await get()).body === 'hello from the twin v1', 180_000, 250);
    const [first] = await deployments();
    expect(first?.state).toBe('succeeded');
  }, 240_000);

  it("charts the load balancer's CloudWatch metrics and autoscales through a target-tracking policy", async () => {
    for (let i = 0; i < 5; i++) expect((await get('/__status/500')).status).toBe(500);
    // The twin's load balancer publishes what an ALB would to CloudWatch; the worker copies it into Postgres.
    const metrics = await waitUntil(
      'the 5xx in the metrics',
      async () => {
        const res = await platform.api('GET', `/api/v1/apps/${app}/metrics?window=1h`);
        const points: Array<{ requests: number; errorRate: number | null; p95Ms: number | null }> = res.json.metrics.points;
        const errors = points.reduce((n, p) => n + Math.round((p.errorRate ?? 0) * p.requests), 0);
        return errors >= 5 ? points : null;
      },
      60_000,
      500,
    );
    expect(metrics.some((p) => p.p95Ms !== null)).toBe(true);

    const on = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, {
      autoscaling: { metric: 'requests', target: 1000, min: 1, max: 2 },
    });
    expect(on.status, on.text).toBe(200);
    const asg = new AutoScalingClient({ region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS });
    const serving = await platform.db.serverGroup.findFirstOrThrow({ where: { app: { name: app }, receivesTraffic: true } });
    const policy = await waitUntil(
      'the scaling policy in the account',
      async () =>
        (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: serving.providerRef as string })))
          .ScalingPolicies?.[0],
      30_000,
      250,
    );
    expect(policy.PolicyType).toBe('TargetTrackingScaling');
    expect(policy.TargetTrackingConfiguration).toMatchObject({
      TargetValue: 1000,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
    });
    // The formation job sets the policy first, then the bounds: wait for both.
    const group = await waitUntil(
      'the bounds in the account',
      async () => {
        const found = (
          await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [serving.providerRef as string] }))
        ).AutoScalingGroups?.[0];
        return found?.MaxSize === 2 ? found : null;
      },
      30_000,
      250,
    );
    expect(group).toMatchObject({ MinSize: 1, MaxSize: 2 });
    const off = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, { autoscaling: null, quantity: 1 });
    expect(off.status, off.text).toBe(200);
    await waitUntil(
      'the scaling policy removed',
      async () =>
        (
          (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: serving.providerRef as string })))
            .ScalingPolicies ?? []
        ).length === 0,
      30_000,
      250,
    );
    asg.destroy();
  }, 120_000);

  it('scales to 2, then deploys again with no failed request during the switch', async () => {
    const scaled = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, { quantity: 2 });
    expect(scaled.status, scaled.text).toBe(200);
    await waitUntil('2 instances running', async () => (await instancesOf()).running === 2, 60_000, 250);

    const poll = keepPolling(['hello from the twin v1', 'hello from the twin v2']);
    await push('hello from the twin v2');
    await waitUntil('v2 through the load balancer', async () => (await get()).body === 'hello from the twin v2', 180_000, 250);
    await waitUntil('the deployment to end', async () => (await deployments()).every((d) => d.state === 'succeeded'), 60_000);
    const { failures, answered } = await poll.stop();
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(20);
    expect(await instancesOf()).toEqual({ inMoto: 2, running: 2 });
  }, 300_000);

  it('sets a config var, which the app sees after the release rolls out', async () => {
    const res = await platform.api('PATCH', `/api/v1/apps/${app}/config`, { GREETING: 'hello from SSM' });
    expect(res.status, res.text).toBeLessThan(300);
    await waitUntil(
      'the app to see GREETING',
      async () => (await get('/__env/GREETING')).body === 'hello from SSM',
      120_000,
      250,
    );
  }, 180_000);

  it('scales 2 → 3 → 1: moto’s group and the running processes follow', async () => {
    expect((await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, { quantity: 3 })).status).toBe(200);
    await waitUntil(
      '3 instances',
      async () => {
        const n = await instancesOf();
        return n.inMoto === 3 && n.running === 3;
      },
      60_000,
      250,
    );
    expect((await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, { quantity: 1 })).status).toBe(200);
    await waitUntil(
      '1 instance',
      async () => {
        const n = await instancesOf();
        return n.inMoto === 1 && n.running === 1;
      },
      60_000,
      250,
    );
    expect((await get()).body).toBe('hello from the twin v2');
  }, 180_000);

  it('rolls a release that crashes at boot back by itself; the old one keeps serving', async () => {
    const before = (await deployments()).length;
    const poll = keepPolling(['hello from the twin v2']);
    await push('never served', { start: 'echo "boom: missing DATABASE_URL" >&2; exit 3' });
    await waitUntil(
      'the deployment to fail',
      async () => {
        const all = await deployments();
        return all.length > before && all[all.length - 1]?.state === 'failed';
      },
      180_000,
      500,
    );
    const { failures } = await poll.stop();
    expect(failures).toEqual([]);
    const failed = (await deployments()).at(-1);
    // The gate failed (the health checks, or their deadline, whichever AWS reports first),
    // and the instance's own output says why, in the deployment's error.
    expect(failed?.errorCode).toMatch(/^health_check_(failed|timeout)$/);
    expect(failed?.error ?? '').toMatch(/boom: missing DATABASE_URL/);
  }, 240_000);

  it('rolls back to the first release without a bake', async () => {
    const builds = await platform.db.build.count({ where: { app: { name: app } } });
    const res = await platform.api('POST', `/api/v1/apps/${app}/rollback`, { version: 1 });
    expect(res.status, res.text).toBe(202);
    await waitUntil('v1 again', async () => (await get()).body === 'hello from the twin v1', 120_000, 250);
    expect(await platform.db.build.count({ where: { app: { name: app } } })).toBe(builds);
  }, 180_000);

  it('deletes the app: nothing is left in moto or the twin', async () => {
    expect((await platform.api('DELETE', `/api/v1/apps/${app}`)).status).toBe(202);
    await waitUntil(
      'the app to be gone',
      async () => (await platform.db.app.count({ where: { name: app } })) === 0,
      120_000,
      500,
    );
    const leaks = await countAwsLeaks(twin.moto.endpoint, { liveGroups: [], images: [] });
    expect(leaks).toMatchObject({ total: 0 });
    expect(await twin.leftovers()).toEqual({ instances: [], images: [] });
    expect((await get()).status).toBe(404);
  }, 180_000);
});

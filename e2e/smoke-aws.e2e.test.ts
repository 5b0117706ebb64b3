import { spawn } from 'node:child_process';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { REPO_ROOT } from '@paas/testing';
import { type AwsTwin, countAwsLeaks, emulatedAwsEnv, MOTO_CREDENTIALS, startAwsTwin } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run smoke:aws` is for a real AWS account, which CI does not have: here it
// runs against the AWS twin, so the script a user runs stays correct. It must
// deploy, serve, and leave nothing behind, also when interrupted.
describe('npm run smoke:aws, against the AWS twin', () => {
  let twin: AwsTwin;
  beforeAll(async () => {
    twin = await startAwsTwin();
  }, 60_000);
  afterAll(async () => {
    await twin?.stop();
  }, 60_000);

  function runSmoke(onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/smoke-aws.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        ...emulatedAwsEnv(twin.endpoint),
        SMOKE_LB_URL: twin.loadBalancer.url,
        SMOKE_POLL_MS: '250',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      for (const line of chunk.split('\n')) if (line) onLine?.(line, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    return new Promise<{ code: number | null; out: string }>((resolve) => child.once('close', (code) => resolve({ code, out })));
  }

  async function nothingLeft() {
    expect(await countAwsLeaks(twin.moto.endpoint, { liveGroups: [], images: [] })).toMatchObject({ total: 0 });
    expect(await twin.leftovers()).toEqual({ instances: [], images: [] });
    const config = { region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS };
    const elb = new ElasticLoadBalancingV2Client(config);
    const ec2 = new EC2Client(config);
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    elb.destroy();
    ec2.destroy();
    expect(lbs.map((l) => l.LoadBalancerName).filter((n) => n?.startsWith('paas-smoke-'))).toEqual([]);
    expect(groups.map((g) => g.GroupName).filter((n) => n?.startsWith('paas-smoke-'))).toEqual([]);
  }

  it('deploys the sample app, serves it, prints each phase, and tears everything down', async () => {
    const { code, out } = await runSmoke();
    expect(code, out).toBe(0);
    const last = JSON.parse(out.trim().split('\n').at(-1) as string);
    expect(last).toMatchObject({ smoke: 'aws', ok: true });
    expect(Object.keys(last.phases_ms)).toEqual([
      'access',
      'bake',
      'release',
      'launch',
      'healthy',
      'switch',
      'serve',
      'teardown',
    ]);
    await nothingLeft();
  }, 180_000);

  it('tears everything down when interrupted mid-deploy', async () => {
    const { code, out } = await runSmoke((line, child) => {
      if (line === '-----> healthy') child.kill('SIGINT');
    });
    expect(code, out).toBe(130);
    expect(out).toMatch(/SIGINT: stopping, then tearing down/);
    expect(JSON.parse(out.trim().split('\n').at(-1) as string)).toMatchObject({ smoke: 'aws', ok: false });
    await nothingLeft();
  }, 180_000);
});

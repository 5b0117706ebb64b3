// smoke:aws: one sample app deployed end to end on a real AWS account through
// the platform's AWS provider, then everything it made torn down, even when
// interrupted (Ctrl-C, SIGTERM). Each phase's duration is printed as it ends.
//
//   AWS_REGION=eu-west-1 SMOKE_REPO_URL=https://github.com/you/node-app.git npm run smoke:aws
//
// Credentials come from the SDK's default chain (env, profile, SSO, instance
// role). The account needs the instance profile of deploy/aws/account-template.json.
// SMOKE_REPO_URL is a git URL the builder instance can clone (a Node.js app with
// a start script; SMOKE_REF picks a branch, tag or commit, default HEAD); without it a sample app is made in a local repository, which
// only the AWS twin (AWS_ENDPOINT_URL, SMOKE_LB_URL) can reach.
// Last line: {"smoke":"aws","ok":true|false,"phases_ms":{…}}
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { DeleteSecurityGroupCommand, DescribeImagesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AppRef, CloudProvider, ImageBuildStatus } from '@paas/core';
import { createAwsProvider, parseAwsSettings } from '../packages/cloud/src/aws/index';

const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) fail('set AWS_REGION (and credentials the AWS SDK can find)');
const endpoint = process.env.AWS_ENDPOINT_URL;
const prefix = `paas-smoke-${randomBytes(3).toString('hex')}`;
const baseDomain = process.env.SMOKE_BASE_DOMAIN ?? 'smoke.example.invalid';
const app: AppRef = { id: randomUUID(), name: `smoke-${randomBytes(3).toString('hex')}` };
const text = `hello from ${app.name}`;
const phases: Record<string, number> = {};
// How often AWS is asked how a bake or a boot is going.
const pollMs = Number(process.env.SMOKE_POLL_MS ?? 5_000);
const log = { info() {}, warn: (m: string) => console.error(`warn: ${m}`), error: (m: string) => console.error(`error: ${m}`) };

const provider: CloudProvider = createAwsProvider({
  accountId: `smoke-${app.id}`,
  region: region as string,
  auth: { method: 'default' },
  settings: parseAwsSettings({ baseDomain, loadBalancerPrefix: prefix }),
  ...(endpoint ? { endpoint } : {}),
  redisPrefix: 'paas-smoke',
  log,
});

// A signal stops the smoke between two AWS calls (never in the middle of one, which could
// create something after the teardown looked), then the teardown runs as for any failure.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) return;
    console.log(`${signal}: stopping, then tearing down what the smoke made…`);
    interrupt.abort(new Error(`interrupted by ${signal}`));
  });
}

let ok = false;
/** Removes the local sample repository, when the smoke made one. */
const cleanups: (() => Promise<void>)[] = [];
try {
  await phase('access', () => provider.verifyAccess());
  const repoUrl = process.env.SMOKE_REPO_URL ?? (await localSampleRepo());
  const image = await phase('bake', async () => {
    const ref = process.env.SMOKE_REF ?? 'HEAD';
    const { jobRef } = await provider.startImageBuild({ app, buildId: randomUUID(), repoUrl, ref, definition: 'node-1' });
    return waitFor('the image', 30 * 60_000, pollMs, async () => {
      const status: ImageBuildStatus = await provider.getImageBuild(jobRef);
      if (status.state === 'failed') throw new Error(`the build failed: ${status.error}`);
      return status.state === 'succeeded' ? status : null;
    });
  });
  const release = { id: randomUUID(), version: 1 };
  const { templateRef } = await phase('release', async () => {
    const { configRef } = await provider.putConfig({ app, version: 1, vars: { SMOKE: 'yes' } });
    return provider.createReleaseTemplate({
      app,
      release,
      imageRef: image.imageRef,
      configRef,
      processes: {
        web: {
          command: image.processes.web ?? 'npm start',
          size: 'small',
          healthCheck: {
            path: '/',
            gracePeriodMs: 600_000,
            intervalMs: 5_000,
            timeoutMs: 4_000,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
          },
        },
      },
    });
  });
  const { ref } = await phase('launch', () =>
    provider.ensureServerGroup({
      id: randomUUID(),
      app,
      release,
      processType: 'web',
      templateRef,
      capacity: { min: 1, max: 1, desired: 1 },
    }),
  );
  await phase('healthy', () =>
    waitFor('a healthy instance', 15 * 60_000, pollMs, async () => {
      const info = (await provider.describeServerGroups([ref])).get(ref);
      return info?.instances.some((i) => i.health === 'healthy') ? info : null;
    }),
  );
  const url = await phase('switch', async () => {
    await provider.registerServerGroup(app, ref);
    await provider.switchTraffic({ app, hostnames: provider.defaultHostnames(app.name), serverGroupRef: ref });
    const traffic = await provider.describeTraffic(app);
    return process.env.SMOKE_LB_URL ?? `http://${traffic?.dnsTarget}`;
  });
  // The sample app answers with its text; an app of the user's own, with any 2xx.
  const expected = process.env.SMOKE_REPO_URL ? null : text;
  await phase('serve', () =>
    waitFor(`an answer from ${url}`, 5 * 60_000, pollMs, async () => {
      const res = await httpGet(url, provider.defaultHostnames(app.name)[0] as string).catch(() => null);
      return res !== null && res.status >= 200 && res.status < 300 && (expected === null || res.body === expected);
    }),
  );
  ok = true;
} catch (error) {
  console.error(`smoke failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await teardown().catch((error) => {
    ok = false;
    console.error(`teardown failed: ${String(error)}`);
  });
  for (const cleanup of cleanups) await cleanup();
}
console.log(JSON.stringify({ smoke: 'aws', ok, phases_ms: phases }));
process.exit(ok ? 0 : interrupt.signal.aborted ? 130 : 1);

/**
 * Everything the smoke made: the app's resources (after any image still being
 * made is done, so its snapshot is not left behind), then its own load
 * balancer and security groups. Each step runs even if one before failed.
 */
async function teardown(): Promise<void> {
  const started = performance.now();
  console.log('-----> teardown');
  const failures: string[] = [];
  for (const [what, step] of [
    ['images still being made', waitForPendingImages],
    ['the app', () => provider.teardownApp(app)],
    ['the load balancer and security groups', deleteSmokeNetwork],
  ] as const) {
    await step().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
  }
  phases.teardown = Math.round(performance.now() - started);
  console.log(`       teardown: ${(phases.teardown / 1000).toFixed(1)} s`);
  if (failures.length > 0) {
    throw new Error(
      `could not remove everything (${failures.join('; ')}). Look for resources tagged paas:app=${app.id}, ` +
        `load balancers and security groups named ${prefix}-*, and delete them by hand`,
    );
  }
}

async function waitForPendingImages(): Promise<void> {
  const ec2 = new EC2Client({ region: region as string, ...(endpoint ? { endpoint } : {}) });
  try {
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      const images = await ec2.send(
        new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:paas:app', Values: [app.id] }] }),
      );
      if (!(images.Images ?? []).some((i) => i.State === 'pending')) return;
      if (Date.now() > deadline) throw new Error('an image was still pending after 20 min');
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    ec2.destroy();
  }
}

async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  interrupt.signal.throwIfAborted();
  const started = performance.now();
  console.log(`-----> ${name}`);
  const value = await run();
  phases[name] = Math.round(performance.now() - started);
  console.log(`       ${name}: ${(phases[name] / 1000).toFixed(1)} s`);
  return value;
}

async function waitFor<T>(what: string, timeoutMs: number, everyMs: number, check: () => Promise<T | null | false | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    interrupt.signal.throwIfAborted();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    interrupt.signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      interrupt.signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

async function localSampleRepo(): Promise<string> {
  if (!endpoint) fail('set SMOKE_REPO_URL to a git URL a builder instance can clone (a Node.js app with a start script)');
  const { createBareRepo, sampleAppFiles } = await import('@paas/testing');
  const repo = await createBareRepo();
  cleanups.push(() => repo.remove());
  await repo.commit(sampleAppFiles({ text }), 'smoke');
  return repo.url;
}

/** The load balancer and security groups made for the smoke's own prefix (the provider shares them between apps). */
async function deleteSmokeNetwork(): Promise<void> {
  const config = { region: region as string, ...(endpoint ? { endpoint } : {}) };
  const elb = new ElasticLoadBalancingV2Client(config);
  const ec2 = new EC2Client(config);
  try {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    for (const lb of lbs.filter((l) => l.LoadBalancerName?.startsWith(`${prefix}-`))) {
      await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    }
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`${prefix}-instances`, `${prefix}-lb`] }] }),
    );
    // Instances first: it refers to the load balancers' group. A deleted load balancer's network
    // interfaces take a while to go, and the group cannot be deleted before.
    const ordered = (groups.SecurityGroups ?? []).sort((a) => (a.GroupName?.endsWith('-instances') ? -1 : 1));
    for (const group of ordered) {
      const deadline = Date.now() + 10 * 60_000;
      for (;;) {
        const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId })).then(
          () => true,
          (error: { name?: string }) => {
            if (error.name === 'InvalidGroup.NotFound') return true;
            if (error.name !== 'DependencyViolation' || Date.now() > deadline) throw error;
            return false;
          },
        );
        if (deleted) break;
        await new Promise((r) => setTimeout(r, 10_000));
      }
    }
  } finally {
    elb.destroy();
    ec2.destroy();
  }
}

/** A GET with the app's hostname as Host (fetch does not let a caller set it). */
function httpGet(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function fail(message: string): never {
  console.error(`smoke:aws: ${message}`);
  process.exit(2);
}

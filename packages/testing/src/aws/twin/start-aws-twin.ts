import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsFaultProxy, startAwsFaultProxy } from '../fault-proxy';
import { type MotoServer, startMotoServer } from '../moto-server';
import { prepareAwsAccount } from '../prepare-account';
import { emulatedAwsEnv } from '../worker-env';
import { type AlbMetrics, startAlbMetrics } from './alb-metrics';
import { type AutoScalingHealth, startAutoScalingHealth } from './auto-scaling-health';
import { type InstanceRunner, startInstanceRunner } from './instance-runner';
import { startTwinLoadBalancer, type TwinLoadBalancer } from './load-balancer';

export interface AwsTwin {
  moto: MotoServer;
  /** Where the platform reaches AWS: a proxy in front of moto that also reports the twin's target health. */
  endpoint: string;
  proxy: AwsFaultProxy;
  runner: InstanceRunner;
  loadBalancer: TwinLoadBalancer;
  /** The load balancer's CloudWatch metrics, published to moto as an ALB's; flush() to read them at once. */
  metrics: AlbMetrics;
  autoScaling: AutoScalingHealth;
  dir: string;
  /** When each image was captured (its CreateImage call), by image id. */
  captures: Map<string, number>;
  /** The environment of platform processes that deploy to the twin, polling as often as it is worth here. */
  platformEnv: Record<string, string>;
  /** What the twin still runs or keeps: instances with a process tree, and captured images. */
  leftovers(): Promise<{ instances: string[]; images: string[] }>;
  stop(): Promise<void>;
}

// Calls after which the twin looks at moto at once rather than at its next tick.
const INSTANCE_CHANGES = [
  'ec2:RunInstances',
  'ec2:TerminateInstances',
  'ec2:StopInstances',
  'autoscaling:CreateAutoScalingGroup',
  'autoscaling:UpdateAutoScalingGroup',
  'autoscaling:SetDesiredCapacity',
  'autoscaling:TerminateInstanceInAutoScalingGroup',
  'autoscaling:DeleteAutoScalingGroup',
];
const ROUTE_CHANGES = [
  'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:DeregisterTargets',
  'elasticloadbalancing:CreateRule',
  'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:DeleteRule',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:ModifyTargetGroup',
];

/**
 * An AWS account on this machine that runs what the platform bakes: moto for
 * the APIs, plus the instances' user data as real processes, images that
 * capture a builder's root directory, and a load balancer that routes and
 * health-checks for real. See instance-runner.ts and load-balancer.ts.
 */
export async function startAwsTwin(options: { timeScale?: number; instanceProfile?: string } = {}): Promise<AwsTwin> {
  const timeScale = options.timeScale ?? 0.1;
  const dir = await mkdtemp(join(tmpdir(), 'paas-aws-twin-'));
  const moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint, options.instanceProfile);
  const proxy = await startAwsFaultProxy(moto.endpoint);
  const runner = startInstanceRunner({ motoEndpoint: moto.endpoint, awsEndpoint: moto.endpoint, dir });
  const metrics = startAlbMetrics({ motoEndpoint: moto.endpoint });
  const loadBalancer = await startTwinLoadBalancer({
    motoEndpoint: moto.endpoint,
    runner,
    timeScale,
    metrics,
  });
  const autoScaling = startAutoScalingHealth({ motoEndpoint: moto.endpoint, runner, loadBalancer, timeScale });
  const captures = new Map<string, number>();
  proxy.faults.targetHealth = ({ instanceId, targetGroupArn }) => loadBalancer.healthOf(targetGroupArn, instanceId) ?? 'initial';
  proxy.after.set('ec2:CreateImage', async ({ params, status, body }) => {
    const imageId = /<imageId>([^<]+)<\/imageId>/.exec(body)?.[1];
    const instanceId = params.get('InstanceId');
    if (status === 200 && imageId && instanceId) {
      captures.set(imageId, Date.now());
      await runner.captureImage(instanceId, imageId);
    }
  });
  // What a call changed has happened when it returns: a terminated instance's processes are gone,
  // a new one's user data runs, and a rule or registration is in the load balancer's routes.
  for (const action of INSTANCE_CHANGES) proxy.after.set(action, () => runner.sync());
  for (const action of ROUTE_CHANGES) proxy.after.set(action, () => loadBalancer.sync());
  proxy.after.set('ec2:DeregisterImage', async ({ params }) => {
    const imageId = params.get('ImageId');
    if (imageId && /^ami-[0-9a-f]+$/.test(imageId)) await rm(join(dir, 'images', imageId), { recursive: true, force: true });
  });

  return {
    moto,
    endpoint: proxy.endpoint,
    proxy,
    runner,
    loadBalancer,
    metrics,
    autoScaling,
    dir,
    captures,
    platformEnv: { ...emulatedAwsEnv(proxy.endpoint), PAAS_BUILD_POLL_MS: '250', PAAS_HEALTH_POLL_MS: '250' },
    async leftovers() {
      await runner.sync();
      const images = await readdir(join(dir, 'images')).catch(() => [] as string[]);
      return { instances: runner.live().map((i) => i.instanceId), images };
    },
    async stop() {
      await autoScaling.stop();
      await loadBalancer.stop();
      await metrics.stop();
      await runner.stop();
      await proxy.stop();
      await moto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

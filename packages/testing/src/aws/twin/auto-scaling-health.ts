import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetInstanceHealthCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { MOTO_CREDENTIALS } from '../moto-server';
import type { InstanceRunner } from './instance-runner';
import type { TwinLoadBalancer } from './load-balancer';

export interface AutoScalingHealth {
  /** Instances the twin replaced for failing their load balancer health checks. */
  readonly replaced: string[];
  stop(): Promise<void>;
}

/**
 * What an Auto Scaling Group with the ELB health check type does and moto
 * does not: an in-service instance that its target group reports unhealthy,
 * once past the group's grace period, is marked unhealthy and replaced. The
 * grace period runs on the twin's clock (scaled like the health checks').
 */
export function startAutoScalingHealth(options: {
  motoEndpoint: string;
  runner: InstanceRunner;
  loadBalancer: TwinLoadBalancer;
  region?: string;
  timeScale: number;
  intervalMs?: number;
}): AutoScalingHealth {
  const asg = new AutoScalingClient({
    region: options.region ?? 'us-east-1',
    endpoint: options.motoEndpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 2,
  });
  const replaced: string[] = [];
  let stopped = false;

  const tick = async () => {
    const groups = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    for (const group of groups) {
      if (group.HealthCheckType !== 'ELB') continue;
      const graceMs = (group.HealthCheckGracePeriod ?? 0) * 1000 * options.timeScale;
      for (const instance of group.Instances ?? []) {
        const id = instance.InstanceId as string;
        const running = options.runner.get(id);
        if (instance.LifecycleState !== 'InService' || !running || Date.now() < running.startedAt + graceMs) continue;
        const unhealthy = (group.TargetGroupARNs ?? []).some((arn) => options.loadBalancer.healthOf(arn, id) === 'unhealthy');
        if (!unhealthy) continue;
        await asg.send(new SetInstanceHealthCommand({ InstanceId: id, HealthStatus: 'Unhealthy' }));
        await asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: false }));
        replaced.push(id);
        await options.runner.sync();
      }
    }
  };
  const running = (async () => {
    while (!stopped) {
      await tick().catch((error) => process.stderr.write(`aws twin: auto scaling health failed: ${String(error)}\n`));
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
    }
  })();

  return {
    replaced,
    async stop() {
      stopped = true;
      await running;
      asg.destroy();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AppRef, CloudProvider } from '@paas/core';
import { capacity, webProcess } from '@paas/testing';
import { MOTO_CREDENTIALS } from '@paas/testing/aws';

/**
 * A release of the app with a web and a worker process, on an image moto
 * ships: these tests are about the groups and their load balancer, not what
 * the instances run (moto never runs them).
 */
export async function releaseOnStockImage(cloud: CloudProvider, motoEndpoint: string, app: AppRef) {
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: motoEndpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }));
  ec2.destroy();
  const imageRef = images.Images?.find((i) => i.State === 'available')?.ImageId;
  if (!imageRef) throw new Error('moto lists no Amazon image');
  const release = { id: randomUUID(), version: 1 };
  const { templateRef } = await cloud.createReleaseTemplate({
    app,
    release,
    imageRef,
    configRef: null,
    processes: { web: webProcess(), worker: { command: 'node worker.js', size: 'small', healthCheck: null } },
  });
  return {
    /** A new group of the release's process type (a web group on the app's load balancer unless `register` is false). */
    async group(processType: 'web' | 'worker', size: number, register = processType === 'web'): Promise<string> {
      const { ref } = await cloud.ensureServerGroup({
        id: randomUUID(),
        app,
        release,
        processType,
        templateRef,
        capacity: capacity(size),
      });
      if (register) await cloud.registerServerGroup(app, ref);
      return ref;
    },
  };
}

/** The group's target group ARN as AWS has it. */
export async function targetGroupArnOf(motoEndpoint: string, groupRef: string): Promise<string> {
  const asg = new AutoScalingClient({
    region: 'us-east-1',
    endpoint: motoEndpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 1,
  });
  const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupRef] }));
  asg.destroy();
  const arn = out.AutoScalingGroups?.[0]?.TargetGroupARNs?.[0];
  if (!arn) throw new Error(`${groupRef} has no target group`);
  return arn;
}

/** The ARN of the load balancer that carries the app's rules, found by the DNS name the provider reports. */
export async function loadBalancerArnOf(motoEndpoint: string, cloud: CloudProvider, app: AppRef): Promise<string> {
  const dnsName = (await cloud.describeTraffic(app))?.dnsTarget;
  const elb = new ElasticLoadBalancingV2Client({
    region: 'us-east-1',
    endpoint: motoEndpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 1,
  });
  const out = await elb.send(new DescribeLoadBalancersCommand({}));
  elb.destroy();
  const arn = out.LoadBalancers?.find((lb) => lb.DNSName === dnsName)?.LoadBalancerArn;
  if (!arn) throw new Error(`no load balancer answers on ${dnsName}`);
  return arn;
}

import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { MOTO_CREDENTIALS } from './moto-server';

/** What the platform's database says should exist in the account. */
export interface ExpectedResources {
  /** Provider refs (Auto Scaling Group names) of groups that are active or kept warm. */
  liveGroups: string[];
  /** AMI ids that releases use. */
  images: string[];
}

export interface Leaks {
  builders: number;
  images: number;
  snapshots: number;
  groups: number;
  targetGroups: number;
  rules: number;
  registrations: number;
}

/**
 * Reads the account back and counts what the platform left behind: builders
 * still running, images no release uses and their snapshots, groups the
 * database no longer keeps, target groups without their group, rules
 * forwarding to nothing that exists, and targets registered for instances that
 * are gone.
 */
export async function countAwsLeaks(endpoint: string, expected: ExpectedResources): Promise<Leaks & { total: number }> {
  const config = { region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const asg = new AutoScalingClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  try {
    const instances = (await ec2.send(new DescribeInstancesCommand({}))).Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    const running = new Set(instances.filter((i) => i.State?.Name !== 'terminated').map((i) => i.InstanceId));
    const builders = instances.filter(
      (i) => i.State?.Name !== 'terminated' && i.Tags?.some((t) => t.Key === 'paas:role' && t.Value === 'builder'),
    ).length;
    const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
    const usedImages = new Set(expected.images);
    const liveSnapshots = new Set(
      images
        .filter((i) => usedImages.has(i.ImageId as string))
        .flatMap((i) => (i.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId)),
    );
    const snapshots = ((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? []).filter(
      (s) => s.Tags?.some((t) => t.Key === 'paas:managed') && !liveSnapshots.has(s.SnapshotId),
    ).length;
    const groups = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    const live = new Set(expected.liveGroups);
    const groupTargetGroups = new Set(groups.flatMap((g) => g.TargetGroupARNs ?? []));
    const targetGroups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    let registrations = 0;
    for (const tg of targetGroups) {
      const health =
        (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? [];
      registrations += health.filter((h) => !running.has(h.Target?.Id)).length;
    }
    const existingTargetGroups = new Set(targetGroups.map((t) => t.TargetGroupArn));
    let rules = 0;
    for (const lb of (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
      for (const listener of (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ??
        []) {
        const all = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
        rules += all.filter(
          (r) =>
            !r.IsDefault &&
            (r.Actions ?? []).some((a) =>
              (a.ForwardConfig?.TargetGroups ?? []).some((t) => !existingTargetGroups.has(t.TargetGroupArn)),
            ),
        ).length;
      }
    }
    const leaks: Leaks = {
      builders,
      images: images.filter((i) => !usedImages.has(i.ImageId as string)).length,
      snapshots,
      groups: groups.filter((g) => !live.has(g.AutoScalingGroupName as string)).length,
      targetGroups: targetGroups.filter((t) => !groupTargetGroups.has(t.TargetGroupArn as string)).length,
      rules,
      registrations,
    };
    return { ...leaks, total: Object.values(leaks).reduce((a, b) => a + b, 0) };
  } finally {
    ec2.destroy();
    asg.destroy();
    elb.destroy();
  }
}

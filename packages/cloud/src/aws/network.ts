import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { validationError } from '@paas/core';
import type { AwsContext } from './context';
import { isAwsError, toAppError } from './errors';
import { awsNames } from './names';
import { TAG, tagList } from './tags';

/** The port every web instance serves on; only the load balancers' security group may reach it. */
export const APP_PORT = 8080;

export interface Network {
  vpcId: string;
  /** One subnet per availability zone (a load balancer needs two zones). */
  subnetIds: string[];
  loadBalancerSecurityGroup: string;
  instanceSecurityGroup: string;
}

export async function network(ctx: AwsContext): Promise<Network> {
  return ctx.memo.once('network', async () => {
    const vpcId = ctx.settings.vpcId ?? (await defaultVpc(ctx));
    const subnetIds = ctx.settings.subnetIds ?? (await subnetsPerZone(ctx, vpcId));
    const prefix = ctx.settings.loadBalancerPrefix;
    const lb = await ensureSecurityGroup(
      ctx,
      vpcId,
      awsNames.securityGroup(prefix, 'lb'),
      'Platform load balancers: HTTP and HTTPS',
      [
        { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    );
    // No SSH, nothing from the internet: only the load balancers reach the app port.
    const instances = await ensureSecurityGroup(
      ctx,
      vpcId,
      awsNames.securityGroup(prefix, 'instances'),
      'Platform instances: the app port from the load balancers only',
      [{ IpProtocol: 'tcp', FromPort: APP_PORT, ToPort: APP_PORT, UserIdGroupPairs: [{ GroupId: lb }] }],
    );
    return { vpcId, subnetIds, loadBalancerSecurityGroup: lb, instanceSecurityGroup: instances };
  });
}

async function defaultVpc(ctx: AwsContext): Promise<string> {
  const out = await ctx.clients.ec2
    .send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    .catch((error) => {
      throw toAppError(error, 'DescribeVpcs');
    });
  const id = out.Vpcs?.[0]?.VpcId;
  if (!id) throw validationError(`the account has no default VPC in ${ctx.region}: set vpcId and subnetIds in its settings`);
  return id;
}

async function subnetsPerZone(ctx: AwsContext, vpcId: string): Promise<string[]> {
  const out = await ctx.clients.ec2
    .send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))
    .catch((error) => {
      throw toAppError(error, 'DescribeSubnets');
    });
  const byZone = new Map<string, string>();
  for (const s of [...(out.Subnets ?? [])].sort((a, b) => String(a.SubnetId).localeCompare(String(b.SubnetId)))) {
    if (s.AvailabilityZone && s.SubnetId && !byZone.has(s.AvailabilityZone)) byZone.set(s.AvailabilityZone, s.SubnetId);
  }
  const ids = [...byZone.values()];
  if (ids.length < 2) throw validationError(`VPC ${vpcId} needs subnets in two availability zones for a load balancer`);
  return ids;
}

async function ensureSecurityGroup(
  ctx: AwsContext,
  vpcId: string,
  name: string,
  description: string,
  ingress: IpPermission[],
): Promise<string> {
  let group = await findSecurityGroup(ctx, vpcId, name);
  if (!group) {
    try {
      await ctx.clients.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: description,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList({ [TAG.managed]: 'true', Name: name }) }],
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'InvalidGroup.Duplicate')) throw toAppError(error, `CreateSecurityGroup ${name}`);
    }
    group = await findSecurityGroup(ctx, vpcId, name);
    if (!group?.GroupId) throw toAppError(new Error('created but not found'), `CreateSecurityGroup ${name}`);
  }
  // Describe, then add what is missing: a crash between creating and authorizing is repaired here.
  const missing = ingress.filter((want) => !(group.IpPermissions ?? []).some((have) => samePermission(have, want)));
  if (missing.length > 0) {
    try {
      await ctx.clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: missing }));
    } catch (error) {
      if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw toAppError(error, `AuthorizeSecurityGroupIngress ${name}`);
    }
  }
  return group.GroupId as string;
}

async function findSecurityGroup(ctx: AwsContext, vpcId: string, name: string): Promise<SecurityGroup | undefined> {
  const out = await ctx.clients.ec2
    .send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [name] },
          { Name: 'vpc-id', Values: [vpcId] },
        ],
      }),
    )
    .catch((error) => {
      throw toAppError(error, 'DescribeSecurityGroups');
    });
  return out.SecurityGroups?.[0];
}

function samePermission(have: IpPermission, want: IpPermission): boolean {
  if (have.IpProtocol !== want.IpProtocol || have.FromPort !== want.FromPort || have.ToPort !== want.ToPort) return false;
  const cidrs = new Set((have.IpRanges ?? []).map((r) => r.CidrIp));
  const groups = new Set((have.UserIdGroupPairs ?? []).map((p) => p.GroupId));
  return (
    (want.IpRanges ?? []).every((r) => cidrs.has(r.CidrIp)) && (want.UserIdGroupPairs ?? []).every((p) => groups.has(p.GroupId))
  );
}

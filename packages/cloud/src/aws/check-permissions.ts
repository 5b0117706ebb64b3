import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { accountId } from './artifacts';
import type { AwsContext } from './context';
import { awsErrorName } from './errors';

// `paas doctor`'s permission check without IAM's policy simulator (which the
// account template does not grant, and which would need permissions of its
// own): EC2 writes as DryRun calls, which AWS answers with its verdict and
// nothing done; other services, which have no dry run, by a harmless read of
// each. An action counts as missing only when AWS says it is denied: anything
// else (an emulator that lacks the call, a bad parameter) is not a permission.
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

interface Probe {
  action: string;
  run(ctx: AwsContext): Promise<unknown>;
}

const PROBES: Probe[] = [
  { action: 'ec2:DescribeVpcs', run: (c) => c.clients.ec2.send(new DescribeVpcsCommand({ DryRun: true })) },
  { action: 'ec2:DescribeImages', run: (c) => c.clients.ec2.send(new DescribeImagesCommand({ DryRun: true, Owners: ['self'] })) },
  {
    action: 'ec2:RunInstances',
    run: (c) =>
      c.clients.ec2.send(
        // A placeholder image: with DryRun, AWS checks the permission before the parameters' existence on most accounts.
        new RunInstancesCommand({
          DryRun: true,
          ImageId: 'ami-00000000000000000',
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
        }),
      ),
  },
  {
    action: 'ec2:CreateLaunchTemplate',
    run: (c) =>
      c.clients.ec2.send(
        new CreateLaunchTemplateCommand({ DryRun: true, LaunchTemplateName: 'paas-doctor-dry-run', LaunchTemplateData: {} }),
      ),
  },
  {
    action: 'autoscaling:DescribeAutoScalingGroups',
    run: (c) => c.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1 })),
  },
  {
    action: 'elasticloadbalancing:DescribeLoadBalancers',
    run: (c) => c.clients.elb.send(new DescribeLoadBalancersCommand({ PageSize: 1 })),
  },
  // Only actions the platform policy grants (a probe of any other would report a well-made account as lacking it):
  // a certificate that does not exist answers "not found" when the call is allowed.
  {
    action: 'acm:DescribeCertificate',
    run: async (c) =>
      c.clients.acm.send(
        new DescribeCertificateCommand({
          CertificateArn: `arn:aws:acm:${c.region}:${await accountId(c)}:certificate/00000000-0000-0000-0000-000000000000`,
        }),
      ),
  },
  {
    action: 'ssm:GetParametersByPath',
    run: (c) => c.clients.ssm.send(new GetParametersByPathCommand({ Path: '/paas/', MaxResults: 1 })),
  },
];

export async function checkPermissions(ctx: AwsContext): Promise<{ missing: string[] }> {
  const verdicts = await Promise.all(
    PROBES.map(async (probe) => {
      try {
        await probe.run(ctx);
        return null;
      } catch (error) {
        // DryRunOperation: "would have succeeded".
        return DENIED.has(awsErrorName(error) ?? '') ? probe.action : null;
      }
    }),
  );
  return { missing: verdicts.filter((a): a is string => a !== null) };
}

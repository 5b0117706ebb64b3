// The permissions the platform needs in a team's account, and those its
// instances need: nothing more. Resources are narrowed where AWS allows it
// (by the `paas:managed` tag, the `/paas/` parameter path, the artifacts
// bucket); describes cannot be narrowed by AWS's design.
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow';
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, unknown>;
  }[];
}

export const PLATFORM_ACTIONS = {
  describe: [
    'ec2:DescribeImages',
    'ec2:DescribeInstances',
    'ec2:DescribeLaunchTemplates',
    'ec2:DescribeLaunchTemplateVersions',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSnapshots',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
    'autoscaling:DescribeAutoScalingGroups',
    'autoscaling:DescribePolicies',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeTags',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeListenerCertificates',
    'acm:DescribeCertificate',
    'cloudwatch:GetMetricData',
    'cloudwatch:ListMetrics',
    'sts:GetCallerIdentity',
  ],
  create: [
    'ec2:RunInstances',
    'ec2:CreateImage',
    'ec2:CreateLaunchTemplate',
    'ec2:CreateLaunchTemplateVersion',
    'ec2:CreateSecurityGroup',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:CreateTags',
    'autoscaling:CreateAutoScalingGroup',
    'autoscaling:CreateOrUpdateTags',
    'elasticloadbalancing:CreateLoadBalancer',
    'elasticloadbalancing:CreateListener',
    'elasticloadbalancing:CreateRule',
    'elasticloadbalancing:CreateTargetGroup',
    'elasticloadbalancing:AddTags',
  ],
  manage: [
    'ec2:TerminateInstances',
    'ec2:DeregisterImage',
    'ec2:DeleteSnapshot',
    'ec2:DeleteLaunchTemplate',
    'autoscaling:UpdateAutoScalingGroup',
    'autoscaling:SetDesiredCapacity',
    'autoscaling:TerminateInstanceInAutoScalingGroup',
    'autoscaling:SuspendProcesses',
    'autoscaling:ResumeProcesses',
    'autoscaling:DeleteAutoScalingGroup',
    'autoscaling:PutScalingPolicy',
    'autoscaling:DeletePolicy',
    'elasticloadbalancing:ModifyRule',
    'elasticloadbalancing:DeleteRule',
    'elasticloadbalancing:ModifyTargetGroupAttributes',
    'elasticloadbalancing:DeregisterTargets',
    'elasticloadbalancing:DeleteTargetGroup',
    'elasticloadbalancing:DeleteListener',
    'elasticloadbalancing:DeleteLoadBalancer',
    'elasticloadbalancing:AddListenerCertificates',
    'elasticloadbalancing:RemoveListenerCertificates',
  ],
} as const;

export function platformPolicy(input: { instanceRoleArn: string; artifactsBucket: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Describe', Effect: 'Allow', Action: [...PLATFORM_ACTIONS.describe], Resource: '*' },
      { Sid: 'Create', Effect: 'Allow', Action: [...PLATFORM_ACTIONS.create], Resource: '*' },
      {
        Sid: 'ManageOwn',
        Effect: 'Allow',
        Action: [...PLATFORM_ACTIONS.manage],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/paas:managed': 'true' } },
      },
      {
        Sid: 'Parameters',
        Effect: 'Allow',
        Action: [
          'ssm:GetParameter',
          'ssm:PutParameter',
          'ssm:DeleteParameter',
          'ssm:DeleteParameters',
          'ssm:GetParametersByPath',
          'ssm:AddTagsToResource',
        ],
        Resource: ['arn:aws:ssm:*:*:parameter/paas/*', 'arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*'],
      },
      { Sid: 'PassInstanceRole', Effect: 'Allow', Action: ['iam:PassRole'], Resource: input.instanceRoleArn },
      {
        Sid: 'Artifacts',
        Effect: 'Allow',
        Action: [
          's3:CreateBucket',
          's3:PutBucketPublicAccessBlock',
          's3:ListBucket',
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
        ],
        Resource: [`arn:aws:s3:::${input.artifactsBucket}`, `arn:aws:s3:::${input.artifactsBucket}/*`],
      },
      {
        Sid: 'Certificates',
        Effect: 'Allow',
        Action: [
          'acm:RequestCertificate',
          'acm:DeleteCertificate',
          'acm:AddTagsToCertificate',
          'route53:ChangeResourceRecordSets',
          'route53:ListHostedZones',
        ],
        Resource: '*',
      },
    ],
  };
}

/** What builders and app instances may do: read their config and build request, write reports and logs. */
export function instancePolicy(input: { artifactsBucket: string }): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Config', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:*:*:parameter/paas/apps/*' },
      {
        Sid: 'ReadRequestsAndAgent',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${input.artifactsBucket}/apps/*`, `arn:aws:s3:::${input.artifactsBucket}/agent/*`],
      },
      // Never the agent itself: an instance that could rewrite it would run its code on every later builder.
      {
        Sid: 'WriteReportsAndLogs',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [
          `arn:aws:s3:::${input.artifactsBucket}/apps/*/builds/*`,
          `arn:aws:s3:::${input.artifactsBucket}/apps/*/logs/*`,
        ],
      },
      {
        Sid: 'RotateLogs',
        Effect: 'Allow',
        Action: ['s3:DeleteObject'],
        Resource: [`arn:aws:s3:::${input.artifactsBucket}/apps/*/logs/*`],
      },
    ],
  };
}

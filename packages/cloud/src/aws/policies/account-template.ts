import { instancePolicy, platformPolicy } from './platform-policy';

// The CloudFormation template a team creates once in each AWS account the
// platform deploys to: the role the platform assumes (with an ExternalId, so
// no other tenant of the platform's principal can), and the instance role and
// profile of builders and app instances. The policies are the same functions
// the tests check against the provider's code, so they cannot drift apart.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, not a JS template
const BUCKET = 'paas-artifacts-${AWS::AccountId}-${AWS::Region}';

/** Strings with CloudFormation `${…}` references become Fn::Sub; everything else stays as written. */
function substitute(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('${') ? { 'Fn::Sub': value } : value;
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

export function renderAccountTemplate(): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paas: the role the platform assumes in this account, and the instance role of what it runs',
    Parameters: {
      PlatformPrincipal: {
        Type: 'String',
        Description: 'ARN of who may assume the platform role: the platform’s own account root or its instance role',
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:.+$',
      },
      ExternalId: {
        Type: 'String',
        Description: 'A secret shared with the platform (PAAS_AWS_EXTERNAL_ID); at least 16 characters',
        MinLength: 16,
        NoEcho: true,
      },
    },
    Resources: {
      InstanceRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'paas-instance',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'paas-instance', PolicyDocument: substitute(instancePolicy({ artifactsBucket: BUCKET })) }],
        },
      },
      InstanceProfile: {
        Type: 'AWS::IAM::InstanceProfile',
        Properties: { InstanceProfileName: 'paas-instance', Roles: [{ Ref: 'InstanceRole' }] },
      },
      PlatformRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'paas-platform',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { Ref: 'PlatformPrincipal' } },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'paas-platform',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, not a JS template
              PolicyDocument: substitute(platformPolicy({ instanceRoleArn: '${InstanceRole.Arn}', artifactsBucket: BUCKET })),
            },
          ],
        },
      },
    },
    Outputs: {
      PlatformRoleArn: { Description: 'PAAS_AWS_ROLE_ARN', Value: { 'Fn::GetAtt': ['PlatformRole', 'Arn'] } },
      InstanceProfileName: { Description: 'PAAS_AWS_INSTANCE_PROFILE', Value: { Ref: 'InstanceProfile' } },
    },
  };
}

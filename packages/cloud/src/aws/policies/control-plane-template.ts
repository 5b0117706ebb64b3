import { controlPlaneUserData, USER_DATA_VARIABLES } from './control-plane-boot';
import { instancePolicy, platformPolicy } from './platform-policy';

// The CloudFormation template that runs the platform itself in a team's AWS
// account, as one stack: one instance (web, worker, router, webhooks) in an
// Auto Scaling Group of one behind its own ALB, RDS PostgreSQL, ElastiCache
// Redis, and the platform's secrets generated into Secrets Manager. The
// instance role's policy is the platform policy the provider is tested against
// (policies.test.ts), so what the platform may do cannot drift from what it calls.

// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, not a JS template
const BUCKET = 'paas-artifacts-${AWS::AccountId}-${AWS::Region}';
const PORTS = { web: 3000, webhooks: 3001, router: 8080 } as const;

/** Strings with CloudFormation `${…}` references become Fn::Sub; everything else stays as written. */
function substitute(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('${') ? { 'Fn::Sub': value } : value;
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

const ref = (name: string) => ({ Ref: name });
const att = (name: string, attribute: string) => ({ 'Fn::GetAtt': [name, attribute] });
const sub = (text: string) => ({ 'Fn::Sub': text });
const tags = (name: string) => [{ Key: 'Name', Value: sub(`\${AWS::StackName}-${name}`) }];

/** A secret Secrets Manager generates: its value never appears in the template, the stack or user data. */
function generatedSecret(description: string, generate: Record<string, unknown>) {
  return {
    Type: 'AWS::SecretsManager::Secret',
    // Losing the secret key loses every stored config var; the database password opens the retained snapshot.
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: { Description: sub(`\${AWS::StackName}: ${description}`), GenerateSecretString: generate },
  };
}

function targetGroup(port: number, healthCheckPath: string, matcher: string) {
  return {
    Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    Properties: {
      VpcId: ref('VpcId'),
      Protocol: 'HTTP',
      Port: port,
      TargetType: 'instance',
      HealthCheckPath: healthCheckPath,
      Matcher: { HttpCode: matcher },
      HealthCheckIntervalSeconds: 15,
      // The processes stop on SIGTERM within seconds; the default 300 s only delays replacements.
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    },
  };
}

function listenerRule(priority: number, hosts: unknown, targetGroupName: string, paths?: string[]) {
  return {
    Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    Properties: {
      ListenerArn: ref('HttpsListener'),
      Priority: priority,
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: [hosts] } },
        ...(paths ? [{ Field: 'path-pattern', PathPatternConfig: { Values: paths } }] : []),
      ],
      Actions: [{ Type: 'forward', TargetGroupArn: ref(targetGroupName) }],
    },
  };
}

/** Only this port, only from that security group. */
function ingressFrom(group: string, port: number, source: string, description: string) {
  return {
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: {
      GroupId: att(group, 'GroupId'),
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      SourceSecurityGroupId: att(source, 'GroupId'),
      Description: description,
    },
  };
}

/** A group that only answers (security groups are stateful): the blackhole rule replaces the default allow-all egress. */
function answerOnlyGroup(description: string, name: string) {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: description,
      VpcId: ref('VpcId'),
      SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'no outbound connections' }],
      Tags: tags(name),
    },
  };
}

const SECRETS = ['DatabaseSecret', 'SecretKeySecret', 'WebhookSecret', 'AdminTokenSecret'];

export function renderControlPlaneTemplate(): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paas: the platform itself (dashboard, API, worker, router, webhooks) with its Postgres and Redis',
    Parameters: {
      VpcId: { Type: 'AWS::EC2::VPC::Id', Description: 'The VPC to run in' },
      SubnetIds: {
        Type: 'List<AWS::EC2::Subnet::Id>',
        Description:
          'At least two subnets in different Availability Zones, public (the load balancer is internet-facing); the instance needs outbound internet (a public IP on launch, or a NAT gateway)',
      },
      BaseDomain: {
        Type: 'String',
        Description: 'Apps get <app>.<BaseDomain>; the dashboard is paas.<BaseDomain>',
        AllowedPattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$',
      },
      CertificateArn: {
        Type: 'String',
        Description: 'An issued ACM certificate in this region for *.<BaseDomain> (it covers paas.<BaseDomain>)',
        AllowedPattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/.+$',
      },
      InstanceType: {
        Type: 'String',
        Default: 't3.small',
        Description: 'An x86_64 instance type for the platform (2 GiB of memory at least)',
      },
      Version: { Type: 'String', Default: 'main', Description: 'The git ref of the platform to run (branch, tag or commit)' },
      RepositoryUrl: { Type: 'String', Description: 'The git URL the platform is fetched from (https)' },
      Cloud: {
        Type: 'String',
        Default: 'aws',
        AllowedValues: ['aws', 'local'],
        Description:
          'Where apps run: aws (their own instances and load balancers) or local (on this instance, behind its router)',
      },
      EnableSessionManager: {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['true', 'false'],
        Description:
          'Shell access through SSM Session Manager (AmazonSSMManagedInstanceCore: it also reads every SSM parameter of the account)',
      },
      LatestAmiId: {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
        Description: 'Amazon Linux 2023, from its public SSM parameter',
      },
    },
    Conditions: { SessionManager: { 'Fn::Equals': [ref('EnableSessionManager'), 'true'] } },
    Resources: {
      // Secrets: generated by Secrets Manager, read only by the instance role at boot.
      DatabaseSecret: generatedSecret('the PostgreSQL master user', {
        SecretStringTemplate: '{"username":"paas"}',
        GenerateStringKey: 'password',
        PasswordLength: 40,
        // Letters and digits only: it goes into a URL and an env file unescaped.
        ExcludePunctuation: true,
      }),
      // 32 random bytes as 64 hex characters, the format PAAS_SECRET_KEY takes.
      SecretKeySecret: generatedSecret('PAAS_SECRET_KEY (encrypts config vars at rest)', {
        PasswordLength: 64,
        ExcludePunctuation: true,
        ExcludeUppercase: true,
        ExcludeCharacters: 'ghijklmnopqrstuvwxyz',
      }),
      WebhookSecret: generatedSecret('GITHUB_WEBHOOK_SECRET', { PasswordLength: 40, ExcludePunctuation: true }),
      AdminTokenSecret: generatedSecret('PAAS_ADMIN_TOKEN (the setup token for the first owner)', {
        PasswordLength: 48,
        ExcludePunctuation: true,
      }),

      // Network: the internet reaches the load balancer; it reaches the instance's three ports; the instance reaches Postgres and Redis.
      LoadBalancerSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'paas load balancer: HTTP and HTTPS from anywhere',
          VpcId: ref('VpcId'),
          SecurityGroupIngress: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS' },
            { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0', Description: 'HTTP, redirected to HTTPS' },
          ],
          SecurityGroupEgress: Object.entries(PORTS).map(([name, port]) => ({
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            DestinationSecurityGroupId: att('InstanceSecurityGroup', 'GroupId'),
            Description: `to the ${name}`,
          })),
          Tags: tags('alb'),
        },
      },
      // Outbound stays open: git, npm, the AWS APIs and GitHub are on the internet.
      InstanceSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'paas control plane instance', VpcId: ref('VpcId'), Tags: tags('instance') },
      },
      ...Object.fromEntries(
        Object.entries(PORTS).map(([name, port]) => [
          `InstanceIngress${name[0]?.toUpperCase()}${name.slice(1)}`,
          ingressFrom('InstanceSecurityGroup', port, 'LoadBalancerSecurityGroup', `the ${name}, from the load balancer`),
        ]),
      ),
      DatabaseSecurityGroup: answerOnlyGroup('paas PostgreSQL', 'db'),
      DatabaseIngress: ingressFrom('DatabaseSecurityGroup', 5432, 'InstanceSecurityGroup', 'PostgreSQL, from the platform'),
      RedisSecurityGroup: answerOnlyGroup('paas Redis', 'redis'),
      RedisIngress: ingressFrom('RedisSecurityGroup', 6379, 'InstanceSecurityGroup', 'Redis, from the platform'),

      // PostgreSQL 16: the platform's source of truth.
      DatabaseSubnetGroup: {
        Type: 'AWS::RDS::DBSubnetGroup',
        Properties: { DBSubnetGroupDescription: 'paas PostgreSQL', SubnetIds: ref('SubnetIds') },
      },
      Database: {
        Type: 'AWS::RDS::DBInstance',
        Metadata: {
          'cfn-lint': {
            config: {
              // cfn-lint lists the bare major version as deprecated, but RDS takes '16' as its newest 16.x minor, and
              // AutoMinorVersionUpgrade keeps it there. A pinned minor would be what gets deprecated and stops creating stacks.
              ignore_checks: ['W3691'],
            },
          },
        },
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: {
          Engine: 'postgres',
          EngineVersion: '16',
          DBInstanceClass: 'db.t4g.micro',
          AllocatedStorage: '20',
          MaxAllocatedStorage: 100,
          StorageType: 'gp3',
          StorageEncrypted: true,
          PubliclyAccessible: false,
          MultiAZ: false,
          DBName: 'paas',
          Port: '5432',
          MasterUsername: 'paas',
          // A secret of our own rather than ManageMasterUserPassword: RDS rotates its managed
          // secret every 7 days, and the platform reads its DATABASE_URL once, at boot.
          MasterUserPassword: sub(`{{resolve:secretsmanager:\${DatabaseSecret}:SecretString:password}}`),
          DBSubnetGroupName: ref('DatabaseSubnetGroup'),
          VPCSecurityGroups: [att('DatabaseSecurityGroup', 'GroupId')],
          BackupRetentionPeriod: 7,
          CopyTagsToSnapshot: true,
          AutoMinorVersionUpgrade: true,
          Tags: tags('db'),
        },
      },

      // Redis 7 for BullMQ, which must never have its keys evicted (noeviction).
      RedisParameters: {
        Type: 'AWS::ElastiCache::ParameterGroup',
        Properties: {
          CacheParameterGroupFamily: 'redis7',
          Description: 'paas: BullMQ needs noeviction',
          Properties: { 'maxmemory-policy': 'noeviction' },
        },
      },
      RedisSubnetGroup: {
        Type: 'AWS::ElastiCache::SubnetGroup',
        Properties: { Description: 'paas Redis', SubnetIds: ref('SubnetIds') },
      },
      // A replication group of one node rather than a CacheCluster: only it encrypts at rest.
      Redis: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupDescription: 'paas queues',
          Engine: 'redis',
          EngineVersion: '7.1',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 1,
          AutomaticFailoverEnabled: false,
          CacheParameterGroupName: ref('RedisParameters'),
          CacheSubnetGroupName: ref('RedisSubnetGroup'),
          SecurityGroupIds: [att('RedisSecurityGroup', 'GroupId')],
          Port: 6379,
          AtRestEncryptionEnabled: true,
          TransitEncryptionEnabled: true,
          Tags: tags('redis'),
        },
      },

      // What apps' builders and instances run as (Cloud=aws): the same policy as the account template's.
      AppInstanceRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'paas-instance', PolicyDocument: substitute(instancePolicy({ artifactsBucket: BUCKET })) }],
        },
      },
      AppInstanceProfile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref('AppInstanceRole')] } },

      // What the platform runs as: the platform policy, its own secrets, its boot signal.
      PlatformRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          ManagedPolicyArns: {
            'Fn::If': [
              'SessionManager',
              [sub(`arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`)],
              ref('AWS::NoValue'),
            ],
          },
          Policies: [
            {
              PolicyName: 'paas-platform',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, not a JS template
              PolicyDocument: substitute(platformPolicy({ instanceRoleArn: '${AppInstanceRole.Arn}', artifactsBucket: BUCKET })),
            },
            {
              PolicyName: 'paas-control-plane',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'OwnSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: SECRETS.map(ref) },
                  {
                    Sid: 'BootSignal',
                    Effect: 'Allow',
                    Action: ['cloudformation:SignalResource'],
                    Resource: ref('AWS::StackId'),
                  },
                  // Other accounts, through the account template's role (which demands the ExternalId).
                  {
                    Sid: 'OtherAccounts',
                    Effect: 'Allow',
                    Action: ['sts:AssumeRole'],
                    Resource: sub(`arn:\${AWS::Partition}:iam::*:role/paas-platform`),
                  },
                ],
              },
            },
          ],
        },
      },
      PlatformInstanceProfile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref('PlatformRole')] } },

      // The instance. It carries no paas:managed tag: the platform must not be able to terminate itself.
      LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            ImageId: ref('LatestAmiId'),
            InstanceType: ref('InstanceType'),
            IamInstanceProfile: { Arn: att('PlatformInstanceProfile', 'Arn') },
            SecurityGroupIds: [att('InstanceSecurityGroup', 'GroupId')],
            // IMDSv2 only; one hop, so nothing the instance runs in a container reaches the role.
            MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
            BlockDeviceMappings: [
              { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } },
            ],
            TagSpecifications: [{ ResourceType: 'instance', Tags: tags('platform') }],
            UserData: {
              'Fn::Base64': {
                'Fn::Sub': [controlPlaneUserData(), USER_DATA_VARIABLES],
              },
            },
          },
        },
      },
      // Exactly one instance: the Auto Scaling Group replaces it when EC2 finds it impaired.
      Instances: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        // Waits for the boot script's signal that the dashboard answers.
        CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT30M' } },
        // A new Version or instance type replaces the one instance: minutes of downtime, never two platforms.
        UpdatePolicy: {
          AutoScalingRollingUpdate: {
            MinInstancesInService: 0,
            MaxBatchSize: 1,
            WaitOnResourceSignals: true,
            PauseTime: 'PT30M',
          },
        },
        Properties: {
          MinSize: '1',
          MaxSize: '1',
          DesiredCapacity: '1',
          VPCZoneIdentifier: ref('SubnetIds'),
          LaunchTemplate: { LaunchTemplateId: ref('LaunchTemplate'), Version: att('LaunchTemplate', 'LatestVersionNumber') },
          TargetGroupARNs: [ref('WebTargetGroup'), ref('WebhooksTargetGroup'), ref('RouterTargetGroup')],
          // EC2 health, not the load balancer's: a bad Version would otherwise replace the instance forever.
          HealthCheckType: 'EC2',
          HealthCheckGracePeriod: 900,
          Tags: [{ Key: 'Name', Value: sub(`\${AWS::StackName}-platform`), PropagateAtLaunch: false }],
        },
      },

      // The platform's own load balancer: paas.<BaseDomain> is the dashboard, *.<BaseDomain> the apps.
      LoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Type: 'application',
          Scheme: 'internet-facing',
          Subnets: ref('SubnetIds'),
          SecurityGroups: [att('LoadBalancerSecurityGroup', 'GroupId')],
          LoadBalancerAttributes: [{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }],
          Tags: tags('alb'),
        },
      },
      WebTargetGroup: targetGroup(PORTS.web, '/api/health', '200'),
      WebhooksTargetGroup: targetGroup(PORTS.webhooks, '/healthz', '200'),
      // The router answers 404 for a host it does not serve: any answer means it is up.
      RouterTargetGroup: targetGroup(PORTS.router, '/', '200-499'),
      HttpListener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: ref('LoadBalancer'),
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
        },
      },
      HttpsListener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: ref('LoadBalancer'),
          Port: 443,
          Protocol: 'HTTPS',
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          Certificates: [{ CertificateArn: ref('CertificateArn') }],
          DefaultActions: [
            {
              Type: 'fixed-response',
              FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not found' },
            },
          ],
        },
      },
      WebhooksRule: listenerRule(10, sub(`paas.\${BaseDomain}`), 'WebhooksTargetGroup', ['/api/webhooks/*']),
      DashboardRule: listenerRule(20, sub(`paas.\${BaseDomain}`), 'WebTargetGroup'),
      AppsRule: listenerRule(30, sub(`*.\${BaseDomain}`), 'RouterTargetGroup'),
    },
    Outputs: {
      DashboardUrl: { Description: 'The dashboard and API', Value: sub(`https://paas.\${BaseDomain}`) },
      WebhookUrl: { Description: 'The GitHub webhook receiver', Value: sub(`https://paas.\${BaseDomain}/api/webhooks/github`) },
      LoadBalancerDnsName: {
        Description: 'Point paas.<BaseDomain> and *.<BaseDomain> here (CNAME, or an alias record)',
        Value: att('LoadBalancer', 'DNSName'),
      },
      LoadBalancerHostedZoneId: {
        Description: 'For Route 53 alias records',
        Value: att('LoadBalancer', 'CanonicalHostedZoneID'),
      },
      PlatformRoleArn: {
        Description: 'What the platform runs as: the PlatformPrincipal of account templates in other accounts',
        Value: att('PlatformRole', 'Arn'),
      },
      AdminTokenSecretArn: {
        Description: 'The setup token for the first owner (get-secret-value)',
        Value: ref('AdminTokenSecret'),
      },
    },
  };
}

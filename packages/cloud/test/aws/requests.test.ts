import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertScalingPolicy, scalingPolicyInput, scalingPolicyOf } from '../../src/aws/groups/scaling-policy-input';
import { targetGroupInput } from '../../src/aws/groups/target-group-input';
import { splitRepoCredentials } from '../../src/aws/images/builder-protocol';
import { awsNames, buildJobRef, parseBuildJobRef } from '../../src/aws/names';
import { renderBuilderUserData } from '../../src/aws/scripts/render-builder-user-data';
import { renderInstanceUserData } from '../../src/aws/scripts/render-instance-user-data';
import { parseAwsSettings } from '../../src/aws/settings';
import { launchTemplateData } from '../../src/aws/templates/launch-template-data';
import { bucketsFor } from '../../src/aws/throttle/api-buckets';
import { backoffDelay, DEFAULT_RETRY_POLICY, platformRetryStrategy } from '../../src/aws/throttle/retry-strategy';
import { forwardTo, hostnameChunks, weightsFor } from '../../src/aws/traffic/rule-input';

const appId = '2f1c7d2e-8a8b-4c3e-9f00-0123456789ab';
const groupId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('AWS names', () => {
  it('derive from ids within AWS limits, never from app names', () => {
    expect(awsNames.targetGroup(groupId)).toHaveLength(32);
    expect(awsNames.targetGroup(groupId)).toMatch(/^paas-[0-9a-f]{27}$/);
    expect(awsNames.autoScalingGroup(groupId)).toBe(`paas-${groupId}`);
    expect(awsNames.groupIdOf(`paas-${groupId}`)).toBe(groupId);
    expect(awsNames.groupIdOf(`paas-${groupId}x`)).toBeNull();
    expect(awsNames.launchTemplateToken(groupId, 'web').length).toBeLessThanOrEqual(64);
    expect(parseBuildJobRef(buildJobRef(appId, groupId))).toEqual({ appId, buildId: groupId });
    expect(parseBuildJobRef('../etc')).toBeNull();
  });
});

describe('user data', () => {
  const builder = renderBuilderUserData({
    region: 'eu-west-1',
    bucket: 'paas-artifacts-123-eu-west-1',
    buildPrefix: `apps/${appId}/builds/b1/`,
    agentKey: 'agent/0123456789abcdef/agent.mjs',
  });
  const instance = renderInstanceUserData({
    region: 'eu-west-1',
    bucket: 'paas-artifacts-123-eu-west-1',
    app: { id: appId, name: 'shop' },
    release: { id: 'r1', version: 7 },
    processType: 'web',
    command: "node server.js --greeting 'hi; rm -rf /'",
    configParameter: `/paas/apps/${appId}/config/v3`,
    port: 8080,
    memoryMb: 512,
    cpus: 1,
    logPrefix: `apps/${appId}/logs/`,
  });

  it('of a builder says where to report, reports any early failure, and runs the agent', () => {
    expect(builder.startsWith('#!/bin/bash\n')).toBe(true);
    expect(builder).toContain('export PAAS_BUILD_PREFIX=apps/');
    expect(builder).toContain('result.json');
    expect(builder).toMatch(/trap 'report_failure/);
    expect(builder).toMatch(/exec node "\$root\/opt\/paas\/agent\.mjs" build$/m);
    // npm comes in its own package on Amazon Linux 2023; node is pinned to the version installed.
    expect(builder).toMatch(/dnf install .*nodejs22 nodejs22-npm git/);
    expect(builder).toContain('alternatives --set node /usr/bin/node-22');
  });

  it('of an app instance carries the command safely, the config parameter name and never a value', () => {
    const b64 = /^export PAAS_COMMAND_B64=(\S+)$/m.exec(instance)?.[1] ?? '';
    expect(Buffer.from(b64, 'base64').toString()).toBe("node server.js --greeting 'hi; rm -rf /'");
    expect(instance).not.toContain('rm -rf /');
    expect(instance).toContain(`export PAAS_CONFIG_PARAMETER=/paas/apps/${appId}/config/v3`);
    expect(instance).toContain(`export PAAS_PORT="\${PAAS_PORT:-8080}"`);
  });

  it('closes the instance metadata service to the app user (IPv4 and IPv6), on builders too, at every boot', () => {
    for (const script of [builder, instance]) {
      expect(script).toContain('useradd --system');
      expect(script).toContain('-d 169.254.169.254 -m owner --uid-owner paas-app -j REJECT');
      expect(script).toContain('-d fd00:ec2::254 -m owner --uid-owner paas-app -j REJECT');
      expect(script).toMatch(/^\/etc\/paas-imds-firewall\.sh$/m);
    }
    // The agent is a service that outlives a reboot and retries forever, the firewall before it.
    expect(instance).toContain('ExecStartPre=/etc/paas-imds-firewall.sh');
    expect(instance).toContain('StartLimitIntervalSec=0');
    expect(instance).toContain('Restart=always');
    expect(instance).toMatch(/systemctl enable --now paas-agent\.service$/m);
  });

  it('are valid bash', () => {
    for (const script of [builder, instance]) {
      const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
  });

  it('never holds a secret, whatever the inputs', () => {
    for (const script of [builder, instance]) expect(script).not.toMatch(/SECRET|PASSWORD|TOKEN=|AKIA|aws_secret/i);
  });
});

describe('launch template data', () => {
  const data = launchTemplateData({
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    instanceProfile: 'paas-instance',
    securityGroupIds: ['sg-1'],
    userData: '#!/bin/bash\n',
    tags: { 'paas:app': appId },
  });
  it('requires IMDSv2 with a hop limit of 1, opens no SSH and tags instances and volumes', () => {
    expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(data.KeyName).toBeUndefined();
    expect(data.IamInstanceProfile).toEqual({ Name: 'paas-instance' });
    expect(data.TagSpecifications?.map((t) => t.ResourceType)).toEqual(['instance', 'volume']);
    expect(Buffer.from(data.UserData ?? '', 'base64').toString()).toBe('#!/bin/bash\n');
  });
});

describe('target group', () => {
  it('maps the platform health check into what an ALB allows', () => {
    const input = targetGroupInput({
      name: 'paas-x',
      vpcId: 'vpc-1',
      healthCheck: {
        path: '/up',
        gracePeriodMs: 60_000,
        intervalMs: 1_000,
        timeoutMs: 9_000,
        healthyThreshold: 1,
        unhealthyThreshold: 20,
      },
      tags: {},
    });
    expect(input).toMatchObject({
      HealthCheckPath: '/up',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 10,
      Port: 8080,
      Matcher: { HttpCode: '200-499' },
    });
  });
});

describe('listener rules', () => {
  it('carry five hostnames each, lower-cased and without repeats', () => {
    const hosts = [
      'A.example.com',
      'a.example.com',
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'e.example.com',
      'f.example.com',
    ];
    expect(hostnameChunks(hosts)).toEqual([
      ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'],
      ['f.example.com'],
    ]);
  });
  it('keep every registered group in the forward action, with weight only on the serving one', () => {
    expect(forwardTo(weightsFor(['tg-old', 'tg-new'], 'tg-new'))[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: 'tg-old', Weight: 0 },
      { TargetGroupArn: 'tg-new', Weight: 1 },
    ]);
    expect(weightsFor(['a', 'b'], null).every((t) => t.weight === 0)).toBe(true);
  });
});

describe('API rate limits', () => {
  it('put each call in the bucket AWS counts it in', () => {
    expect(bucketsFor('ec2', 'RunInstancesCommand')).toEqual(['ec2-run-instances']);
    expect(bucketsFor('ec2', 'DescribeInstancesCommand')).toEqual(['ec2-describe']);
    expect(bucketsFor('ec2', 'CreateImageCommand')).toEqual(['ec2-mutate']);
    expect(bucketsFor('elb', 'RegisterTargetsCommand')).toEqual(['elb-targets', 'elb']);
    expect(bucketsFor('elb', 'ModifyRuleCommand')).toEqual(['elb']);
    expect(bucketsFor('s3', 'GetObjectCommand')).toEqual([]);
  });

  it('retry throttling patiently with jittered backoff, and a bad request never', async () => {
    let throttled = 0;
    const strategy = platformRetryStrategy({ ...DEFAULT_RETRY_POLICY, onThrottled: () => throttled++, random: () => 1 });
    let token = await strategy.acquireInitialRetryToken('');
    for (let i = 1; i <= 10; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
      expect(token.getRetryDelay()).toBe(Math.min(20_000, 200 * 2 ** i));
    }
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow();
    expect(throttled).toBe(10);
    const fresh = await strategy.acquireInitialRetryToken('');
    await expect(strategy.refreshRetryTokenForRetry(fresh, { errorType: 'CLIENT_ERROR' })).rejects.toThrow();
    const noServer = platformRetryStrategy({ ...DEFAULT_RETRY_POLICY, retryServerErrors: false });
    await expect(noServer.refreshRetryTokenForRetry(fresh, { errorType: 'SERVER_ERROR' })).rejects.toThrow();
    expect(backoffDelay({ ...DEFAULT_RETRY_POLICY, random: () => 0 }, 3)).toBe(0);
  });
});

describe('settings and sources', () => {
  it('refuse what AWS would refuse later, with the field named', () => {
    expect(() => parseAwsSettings({})).toThrow(/baseDomain/);
    expect(() => parseAwsSettings({ baseDomain: 'apps.example.com', instanceTypes: { small: 'huge' } })).toThrow(
      /instanceTypes.small/,
    );
    expect(parseAwsSettings({ baseDomain: 'apps.example.com' })).toMatchObject({
      instanceProfile: 'paas-instance',
      appsPerLoadBalancer: 33,
    });
  });
  it('keep git credentials out of the build request', () => {
    expect(splitRepoCredentials('https://x-access-token:ghs_abc@github.com/o/r.git')).toEqual({
      url: 'https://github.com/o/r.git',
      credentials: 'x-access-token:ghs_abc',
    });
    expect(splitRepoCredentials('/srv/git/app.git')).toEqual({ url: '/srv/git/app.git', credentials: null });
  });
});

describe('scaling policy input', () => {
  const groupRef = `paas-${groupId}`;

  it('is target tracking, named from the group, with the ALB resource label for requests', () => {
    expect(scalingPolicyInput({ groupRef, policy: { metric: 'cpu', target: 60 }, warmupSeconds: 45 })).toEqual({
      AutoScalingGroupName: groupRef,
      PolicyName: `${groupRef}-target-tracking`,
      PolicyType: 'TargetTrackingScaling',
      EstimatedInstanceWarmup: 45,
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
        TargetValue: 60,
        DisableScaleIn: false,
      },
    });
    const label = 'app/paas-1/50dc6c495c0c9188/targetgroup/paas-0123/73e2d6bc24d8a067';
    const requests = scalingPolicyInput({ groupRef, policy: { metric: 'requests', target: 200 }, resourceLabel: label });
    expect(requests.TargetTrackingConfiguration?.PredefinedMetricSpecification).toEqual({
      PredefinedMetricType: 'ALBRequestCountPerTarget',
      ResourceLabel: label,
    });
    expect(requests.EstimatedInstanceWarmup).toBeUndefined();
    expect(scalingPolicyOf(requests)).toEqual({ metric: 'requests', target: 200 });
    expect(
      scalingPolicyOf({
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
          TargetValue: 1,
        },
      }),
    ).toBeNull();
  });

  it('refuses targets that cannot be tracked', () => {
    expect(() => assertScalingPolicy({ metric: 'cpu', target: 100 })).not.toThrow();
    for (const bad of [
      { metric: 'cpu', target: 101 },
      { metric: 'requests', target: 0 },
      { metric: 'requests', target: Number.NaN },
      { metric: 'disk', target: 5 },
    ]) {
      expect(() => assertScalingPolicy(bad as never)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });

  it('draws metric reads from a CloudWatch bucket of their own', () => {
    expect(bucketsFor('cloudwatch', 'GetMetricDataCommand')).toEqual(['cloudwatch']);
  });
});

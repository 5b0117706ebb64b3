import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetInstanceProfileCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { waitFor } from '@paas/testing';
import { MOTO_CREDENTIALS, type MotoServer, startMotoServer } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAccountTemplate } from '../../src/aws/policies/account-template';
import { PLATFORM_ACTIONS } from '../../src/aws/policies/platform-policy';

// The account template as shipped, created as a stack in moto's CloudFormation
// and read back: the roles, the instance profile, the ExternalId condition.
let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

describe('the AWS account template', () => {
  const shipped = readFileSync(join(import.meta.dirname, '../../../../deploy/aws/account-template.json'), 'utf8');

  it('is the one rendered from the policies the provider is tested against', () => {
    expect(JSON.parse(shipped)).toEqual(renderAccountTemplate());
  });

  it('creates the platform role (ExternalId required) and the instance profile', async () => {
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 };
    const cfn = new CloudFormationClient(config);
    const iam = new IAMClient(config);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'paas-account',
        TemplateBody: shipped,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          { ParameterKey: 'PlatformPrincipal', ParameterValue: 'arn:aws:iam::111122223333:root' },
          { ParameterKey: 'ExternalId', ParameterValue: 'a-long-shared-secret-1234' },
        ],
      }),
    );
    const stack = await waitFor(
      'the stack',
      async () => {
        const s = (await cfn.send(new DescribeStacksCommand({ StackName: 'paas-account' }))).Stacks?.[0];
        return s?.StackStatus === 'CREATE_COMPLETE' ? s : null;
      },
      30_000,
      200,
    );
    expect(stack.Outputs?.map((o) => o.OutputKey).sort()).toEqual(['InstanceProfileName', 'PlatformRoleArn']);
    const role = await iam.send(new GetRoleCommand({ RoleName: 'paas-platform' }));
    const trust = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '{}'));
    expect(trust.Statement[0]).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Condition: { StringEquals: { 'sts:ExternalId': 'a-long-shared-secret-1234' } },
    });
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'paas-platform', PolicyName: 'paas-platform' }));
    const granted = JSON.stringify(inline.PolicyDocument);
    for (const action of PLATFORM_ACTIONS.describe) expect(decodeURIComponent(granted)).toContain(action);
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'paas-instance' }));
    expect(profile.InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual(['paas-instance']);
    cfn.destroy();
    iam.destroy();
  }, 60_000);
});

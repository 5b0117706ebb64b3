import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { MOTO_CREDENTIALS } from './moto-server';

/**
 * What an account has before the platform deploys to it: the instance role and
 * profile that the account template creates (here made directly in moto).
 */
export async function prepareAwsAccount(endpoint: string, instanceProfile = 'paas-instance'): Promise<void> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: instanceProfile,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: instanceProfile }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: instanceProfile, RoleName: instanceProfile }));
  } finally {
    iam.destroy();
  }
}

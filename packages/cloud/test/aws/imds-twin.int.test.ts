import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { startImdsServer } from '@paas/testing/aws';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

// The twin's instance metadata service: IMDSv2 only, as the launch templates
// require. The SDK finds the instance role's credentials through it by the
// standard setting, as on EC2; a request without a session token is refused.
describe('the AWS twin’s instance metadata service', () => {
  it('hands the instance role’s credentials to the SDK over IMDSv2, and refuses IMDSv1', async () => {
    const imds = await startImdsServer({
      instanceId: 'i-0123456789abcdef0',
      region: 'us-east-1',
      role: { name: 'paas-instance', accessKeyId: 'ASIATWIN', secretAccessKey: 'twin-secret', token: 'twin-token' },
      userData: '#!/bin/bash\necho hi\n',
    });
    try {
      const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.endpoint;
      try {
        const credentials = await fromInstanceMetadata({ maxRetries: 0, timeout: 2_000 })();
        expect(credentials).toMatchObject({
          accessKeyId: 'ASIATWIN',
          secretAccessKey: 'twin-secret',
          sessionToken: 'twin-token',
        });
      } finally {
        if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
        else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
      }
      // What a boot script does with curl: a token first, then the reads.
      const token = (
        await exec('curl', [
          '-sf',
          '-X',
          'PUT',
          '-H',
          'X-aws-ec2-metadata-token-ttl-seconds: 60',
          `${imds.endpoint}/latest/api/token`,
        ])
      ).stdout;
      const id = await exec('curl', [
        '-sf',
        '-H',
        `X-aws-ec2-metadata-token: ${token}`,
        `${imds.endpoint}/latest/meta-data/instance-id`,
      ]);
      expect(id.stdout).toBe('i-0123456789abcdef0');
      const userData = await exec('curl', [
        '-sf',
        '-H',
        `X-aws-ec2-metadata-token: ${token}`,
        `${imds.endpoint}/latest/user-data`,
      ]);
      expect(userData.stdout).toBe('#!/bin/bash\necho hi\n');
      const refusedBefore = imds.refusedV1;
      await expect(exec('curl', ['-sf', `${imds.endpoint}/latest/meta-data/instance-id`])).rejects.toThrow();
      expect(imds.refusedV1).toBe(refusedBefore + 1);
    } finally {
      await imds.stop();
    }
  });
});

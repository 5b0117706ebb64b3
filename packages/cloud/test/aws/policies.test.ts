import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instancePolicy, platformPolicy } from '../../src/aws/policies/platform-policy';

const SRC = join(import.meta.dirname, '../../src/aws');
// What runs on the instances, with the instance role rather than the platform's.
const AGENT = join(SRC, 'agent');
const IAM_PREFIX: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-auto-scaling': 'autoscaling',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-ssm': 'ssm',
  'client-acm': 'acm',
  'client-route-53': 'route53',
  'client-sts': 'sts',
  'client-cloudwatch': 'cloudwatch',
};
// S3 calls map to differently named IAM actions; the bucket statement grants them.
const S3_ACTIONS: Record<string, string> = {
  HeadBucket: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  DeleteObjects: 's3:DeleteObject',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every AWS action the code under `dir` calls, read from its imports. */
function calledActions(dir: string, except?: string): Set<string> {
  const actions = new Set<string>();
  for (const file of files(dir).filter((f) => !except || !f.startsWith(except))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import \{([^}]+)\} from '@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const name of (m[1] as string).split(',').map((s) => s.trim())) {
        const action = /^(\w+)Command$/.exec(name)?.[1];
        if (!action) continue;
        if (m[2] === 'client-s3') actions.add(S3_ACTIONS[action] ?? `s3:${action}`);
        else actions.add(`${IAM_PREFIX[m[2] as string]}:${action}`);
      }
    }
  }
  return actions;
}

describe('least-privilege policies', () => {
  const policy = platformPolicy({ instanceRoleArn: 'arn:aws:iam::123456789012:role/paas-instance', artifactsBucket: 'b' });
  const granted = new Set(policy.Statement.flatMap((s) => s.Action));

  it('grant every action the provider calls, and none it never calls', () => {
    const called = calledActions(SRC, AGENT);
    expect([...called].filter((a) => !granted.has(a))).toEqual([]);
    const extra = [...granted].filter(
      (a) =>
        !called.has(a) &&
        !['iam:PassRole', 'ec2:CreateTags', 'elasticloadbalancing:AddTags', 'ssm:AddTagsToResource', 's3:PutObject'].includes(a),
    );
    // Granted ahead of use: the certificate flow and listener certificates.
    expect(extra.filter((a) => !/acm:|route53:ListHostedZonesByName|ListenerCertificates|SetDesiredCapacity/.test(a))).toEqual(
      [],
    );
  });

  it('lets the platform change only what it tagged, and pass only the instance role', () => {
    const manage = policy.Statement.find((s) => s.Sid === 'ManageOwn');
    expect(manage?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/paas:managed': 'true' } });
    expect(manage?.Action).toContain('ec2:TerminateInstances');
    expect(policy.Statement.find((s) => s.Sid === 'PassInstanceRole')?.Resource).toBe(
      'arn:aws:iam::123456789012:role/paas-instance',
    );
  });

  it('lets instances do what the agent calls and nothing more: read parameters, read and write reports and logs', () => {
    const doc = instancePolicy({ artifactsBucket: 'b' });
    const called = [...calledActions(AGENT)].sort();
    expect(called).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject', 'ssm:GetParameter']);
    expect(doc.Statement.flatMap((s) => s.Action).sort()).toEqual(called);
    // Writes go to reports and logs only, never to the agent every builder downloads.
    const writes = doc.Statement.filter((s) => s.Action.some((a) => a !== 's3:GetObject' && a.startsWith('s3:')));
    expect(JSON.stringify(writes.map((s) => s.Resource))).not.toContain('agent/');
    expect(JSON.stringify(doc)).not.toContain('"*:*"');
  });
});

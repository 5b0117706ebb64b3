import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderControlPlaneTemplate } from '../../src/aws/policies/control-plane-template';
import { platformPolicy } from '../../src/aws/policies/platform-policy';

// The control-plane template as shipped: what the generator renders, valid for
// cfn-lint (the rules it skips are named in the template's Metadata, with why).
const ROOT = join(import.meta.dirname, '../../../..');
const FILE = 'deploy/aws/control-plane.json';
const shipped = () => JSON.parse(readFileSync(join(ROOT, FILE), 'utf8'));

describe('the control-plane template', () => {
  it('is the one rendered from the policies the provider is tested against', () => {
    // Regenerate with: node --import tsx scripts/aws-control-plane-template.ts
    expect(shipped()).toEqual(renderControlPlaneTemplate());
  });

  it('passes cfn-lint', () => {
    const lint = spawnSync('cfn-lint', [FILE], { cwd: ROOT, encoding: 'utf8' });
    if (lint.error) throw new Error(`cfn-lint could not run (${lint.error.message}): install it with pip install cfn-lint`);
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  }, 60_000);

  it('gives the instance the platform policy, and no secret value anywhere', () => {
    const template = shipped();
    const role = template.Resources.PlatformRole.Properties;
    const statements = role.Policies.find((p: { PolicyName: string }) => p.PolicyName === 'paas-platform').PolicyDocument
      .Statement;
    const expected = platformPolicy({ instanceRoleArn: 'x', artifactsBucket: 'y' }).Statement;
    expect(statements.map((s: { Sid: string; Action: string[] }) => [s.Sid, s.Action])).toEqual(
      expected.map((s) => [s.Sid, s.Action]),
    );
    const text = JSON.stringify(template);
    // The only dynamic reference is the database password, resolved by CloudFormation for RDS, never in user data.
    expect(text.match(/resolve:secretsmanager/g)).toHaveLength(1);
    expect(JSON.stringify(template.Resources.LaunchTemplate)).not.toMatch(/resolve:|GenerateSecretString/);
  });
});

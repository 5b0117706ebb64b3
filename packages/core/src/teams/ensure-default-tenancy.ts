import type { Tx } from '@paas/db';

export const DEFAULT_TEAM_SLUG = 'default';

type CloudSettings = { provider: 'local' | 'aws'; region: string };

/**
 * The team the first owner lands in: also the platform's own team, whose admins
 * manage what the whole install shares (the GitHub App). Idempotent.
 */
export async function ensureDefaultTenancy(tx: Tx, cloud: CloudSettings): Promise<{ teamId: string; cloudAccountId: string }> {
  const team = await tx.team.upsert({
    where: { slug: DEFAULT_TEAM_SLUG },
    create: { slug: DEFAULT_TEAM_SLUG, name: 'Default team' },
    update: {},
  });
  return ensureTeamCloudAccount(tx, team.id, cloud);
}

/**
 * Every team has an account of the platform's configured provider (the local
 * machine, or the AWS account the platform runs in), where apps go unless they
 * name another. Idempotent: upserts by unique keys.
 */
export async function ensureTeamCloudAccount(
  tx: Tx,
  teamId: string,
  cloud: CloudSettings,
): Promise<{ teamId: string; cloudAccountId: string }> {
  const name = cloud.provider === 'local' ? 'local' : `aws-${cloud.region}`;
  const account = await tx.cloudAccount.upsert({
    where: { teamId_name: { teamId, name } },
    create: {
      teamId,
      name,
      provider: cloud.provider,
      region: cloud.region,
      authMethod: cloud.provider === 'local' ? 'none' : 'instance_profile',
    },
    update: {},
  });
  return { teamId, cloudAccountId: account.id };
}

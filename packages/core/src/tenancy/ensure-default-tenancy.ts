import type { Tx } from '@paas/db';

export const DEFAULT_TEAM_SLUG = 'default';

/**
 * Until sign-up and teams land, everything belongs to one default team with one
 * cloud account of the configured provider. Idempotent: upserts by unique keys.
 */
export async function ensureDefaultTenancy(
  tx: Tx,
  cloud: { provider: 'local' | 'aws'; region: string },
): Promise<{ teamId: string; cloudAccountId: string }> {
  const team = await tx.team.upsert({
    where: { slug: DEFAULT_TEAM_SLUG },
    create: { slug: DEFAULT_TEAM_SLUG, name: 'Default team' },
    update: {},
  });
  const name = cloud.provider === 'local' ? 'local' : `aws-${cloud.region}`;
  const account = await tx.cloudAccount.upsert({
    where: { teamId_name: { teamId: team.id, name } },
    create: {
      teamId: team.id,
      name,
      provider: cloud.provider,
      region: cloud.region,
      authMethod: cloud.provider === 'local' ? 'none' : 'instance_profile',
    },
    update: {},
  });
  return { teamId: team.id, cloudAccountId: account.id };
}

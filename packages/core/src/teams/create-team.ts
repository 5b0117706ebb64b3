import type { Db } from '@paas/db';
import { z } from 'zod';
import type { Caller } from '../access/caller';
import { parseInput } from '../apps/app-input';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db-errors';
import { AppError } from '../errors';
import { ensureTeamCloudAccount } from './ensure-default-tenancy';
import { teamSlugSchema } from './team-input';

const createTeamSchema = z.strictObject({
  slug: teamSlugSchema,
  name: z.string().trim().min(1, 'name is required').max(80, 'name must be at most 80 characters'),
});

/** Any signed-in user may start a team; they are its owner. */
export async function createTeam(
  deps: { db: Db; cloud: { provider: 'local' | 'aws'; region: string } },
  caller: Pick<Caller, 'userId' | 'actor'>,
  input: unknown,
) {
  const { slug, name } = parseInput(createTeamSchema, input);
  try {
    return await deps.db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { slug, name } });
      await tx.membership.create({ data: { teamId: team.id, userId: caller.userId, role: 'owner' } });
      await ensureTeamCloudAccount(tx, team.id, deps.cloud);
      await recordAuditEvent(tx, {
        teamId: team.id,
        actor: caller.actor,
        action: 'team.create',
        targetType: 'team',
        targetId: team.id,
        data: { slug, name },
      });
      return { slug: team.slug, name: team.name, role: 'owner' as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `a team "${slug}" already exists`, { details: { slug } });
    throw error;
  }
}

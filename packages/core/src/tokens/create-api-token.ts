import type { Db } from '@paas/db';
import { z } from 'zod';
import type { Caller } from '../access/caller';
import { ROLES, roleRank } from '../access/permissions';
import { parseInput } from '../apps/app-input';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { hashToken, newSecretToken, tokenHint } from './token-secret';

export const MAX_TOKEN_DAYS = 365;

const createTokenSchema = z.strictObject({
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(60, 'name must be at most 60 characters'),
  expiresInDays: z
    .number({ error: 'expiresInDays must be a number of days' })
    .int('expiresInDays must be a whole number of days')
    .min(1, 'expiresInDays must be at least 1')
    .max(MAX_TOKEN_DAYS, `expiresInDays must be at most ${MAX_TOKEN_DAYS}`)
    .default(90),
  // A token may be weaker than its user (a read-only token for a dashboard screen).
  role: z.enum(ROLES).optional(),
});

/**
 * A personal access token for the caller's current team. The token itself is
 * in this answer only; afterwards only its hash exists.
 */
export async function createApiToken(deps: { db: Db; now(): Date }, caller: Caller, input: unknown) {
  if (caller.via === 'token') throw new AppError('forbidden', 'an API token cannot create tokens: sign in to the dashboard');
  const { name, expiresInDays, role } = parseInput(createTokenSchema, input);
  if (role && roleRank(role) > roleRank(caller.role)) {
    throw new AppError('forbidden', `a token cannot do more than your role (${caller.role}): ask for ${role} first`);
  }
  const token = newSecretToken('paas');
  const expiresAt = new Date(deps.now().getTime() + expiresInDays * 86_400_000);
  const row = await deps.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        teamId: caller.teamId,
        userId: caller.userId,
        name,
        tokenHash: hashToken(token),
        hint: tokenHint(token),
        role: role ?? caller.role,
        expiresAt,
      },
    });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: 'token.create',
      targetType: 'api_token',
      targetId: created.id,
      data: { name, role: created.role, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return {
    token,
    id: row.id,
    name: row.name,
    role: row.role,
    hint: row.hint,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

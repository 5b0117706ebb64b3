import type { Db } from '@paas/db';
import { type Caller, ensureSameTeam } from '../access/caller';
import { can } from '../access/permissions';
import { recordAuditEvent } from '../audit/record-audit-event';
import { notFound } from '../errors';

/** Revokes one token at once: the next request with it is refused. Yours, or any of the team's for an admin. */
export async function revokeApiToken(deps: { db: Db; now(): Date }, caller: Caller, tokenId: string) {
  return deps.db.$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id: tokenId } }).catch(() => null);
    ensureSameTeam(caller, token, 'token', tokenId);
    if (!token || (token.userId !== caller.userId && !can(caller.role, 'member.manage'))) throw notFound('token', tokenId);
    if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt };
    const revoked = await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: deps.now() } });
    await recordAuditEvent(tx, {
      teamId: caller.teamId,
      actor: caller.actor,
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: token.id,
      data: { name: token.name },
    });
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  });
}

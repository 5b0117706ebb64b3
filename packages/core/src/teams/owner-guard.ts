import type { Tx } from '@paas/db';
import type { Caller } from '../access/caller';
import { type Role, roleRank } from '../access/permissions';
import { AppError } from '../errors';

/** Nobody changes someone above their own role, nor grants more than they have. */
export function ensureMayManage(caller: Caller, target: Role, wanted?: Role): void {
  if (roleRank(target) > roleRank(caller.role)) {
    throw new AppError('forbidden', `your role (${caller.role}) cannot change someone who is ${target}`);
  }
  if (wanted && roleRank(wanted) > roleRank(caller.role)) {
    throw new AppError('forbidden', `your role (${caller.role}) cannot grant ${wanted}: ask someone who is ${wanted}`);
  }
}

/** A team always keeps an owner: the last one can be neither removed nor demoted. */
export async function ensureAnotherOwner(tx: Tx, teamId: string, userId: string): Promise<void> {
  const others = await tx.membership.count({ where: { teamId, role: 'owner', userId: { not: userId } } });
  if (others === 0) throw new AppError('conflict', 'a team needs an owner: make someone else owner first');
}

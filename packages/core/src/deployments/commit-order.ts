import type { Db, Tx } from '@paas/db';

const MAX_HOPS = 500;

/**
 * True when `candidate` came before `than` on the app's branch, as the pushes
 * we received tell it: each push carries `before` (the branch head it moved
 * from), so walking back from `than` through the pushes' `before` links
 * reaches every older head we have seen. Used so a push delivered late never
 * replaces a newer commit. Unknown order (no chain between them) is false.
 */
export async function isOlderCommit(db: Db | Tx, appId: string, candidate: string, than: string): Promise<boolean> {
  if (candidate === than) return false;
  let current = than;
  const seen = new Set<string>([current]);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const push = await db.deployment.findFirst({
      where: { appId, trigger: 'github', commitSha: current, parentCommitSha: { not: null } },
      select: { parentCommitSha: true },
    });
    const parent = push?.parentCommitSha;
    if (!parent || seen.has(parent)) return false;
    if (parent === candidate) return true;
    seen.add(parent);
    current = parent;
  }
  return false;
}

import type { Tx } from '@paas/db';
import { isOlderCommit } from './commit-order';
import { requestCancel } from './request-cancel';
import { LIVE_STATES } from './steps-machine';

interface NewDeployment {
  id: string;
  appId: string;
  kind: 'deploy' | 'rollback' | 'config' | 'resize';
  trigger: string;
  commitSha: string | null;
}

/**
 * A newer request makes older ones of the same kind pointless: a deploy
 * supersedes older deploys that have not started rolling out (their builds are
 * stopped unless shared), a config change or resize older queued ones (each
 * release carries the whole config), a rollback older queued rollbacks. A
 * pushed commit that the branch had already moved past (it came late) is
 * itself superseded instead. Runs in the transaction that creates `next`.
 * Returns the ids to wake, so their unwind runs.
 */
export async function supersedeOlder(tx: Tx, next: NewDeployment): Promise<string[]> {
  const app = await tx.app.findUniqueOrThrow({ where: { id: next.appId }, select: { rolloutDeploymentId: true } });
  const kinds = next.kind === 'deploy' ? ['deploy'] : next.kind === 'rollback' ? ['rollback'] : ['config', 'resize'];
  const older = await tx.deployment.findMany({
    where: {
      appId: next.appId,
      id: { not: next.id },
      kind: { in: kinds as ('deploy' | 'rollback' | 'config' | 'resize')[] },
      state: { in: [...LIVE_STATES] },
      cancelRequestedAt: null,
    },
    select: { id: true, trigger: true, commitSha: true },
    orderBy: { createdAt: 'asc' },
  });

  const woken: string[] = [];
  for (const old of older) {
    if (old.id === app.rolloutDeploymentId) continue;
    // A push delivered late: the branch already moved past it.
    if (next.trigger === 'github' && old.trigger === 'github' && next.commitSha && old.commitSha) {
      if (await isOlderCommit(tx, next.appId, next.commitSha, old.commitSha)) {
        await markSuperseded(tx, next.id, `superseded: commit ${old.commitSha.slice(0, 7)} is newer on the branch`);
        return [next.id];
      }
    }
    await markSuperseded(
      tx,
      old.id,
      `superseded by a newer ${next.kind === 'deploy' ? 'deploy' : next.kind}${next.commitSha ? ` (${next.commitSha.slice(0, 7)})` : ''}`,
    );
    woken.push(old.id);
  }
  return woken;
}

/** A newer request made this one pointless. */
export const markSuperseded = (tx: Tx, id: string, message: string) => requestCancel(tx, { id }, { code: 'superseded', message });

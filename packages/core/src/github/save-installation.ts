import type { Tx } from '@paas/db';

export interface InstallationRecord {
  id: number;
  accountLogin: string;
  accountType: string;
  repositorySelection?: string;
  suspended?: boolean;
}

/** Creates or updates an installation as GitHub last described it; returns its row id. */
export async function saveInstallation(tx: Tx, i: InstallationRecord): Promise<string> {
  const data = {
    accountLogin: i.accountLogin,
    accountType: i.accountType,
    ...(i.repositorySelection ? { repositorySelection: i.repositorySelection } : {}),
    ...(i.suspended === undefined ? {} : { suspendedAt: i.suspended ? new Date() : null }),
  };
  const row = await tx.githubInstallation.upsert({
    where: { installationId: BigInt(i.id) },
    create: { installationId: BigInt(i.id), ...data },
    update: data,
    select: { id: true },
  });
  return row.id;
}

/** Adds (or moves to this installation) repositories, by GitHub's id. */
export async function addRepositories(
  tx: Tx,
  installationRowId: string,
  repos: { id: number; fullName: string; private: boolean }[],
) {
  for (const r of repos) {
    await tx.githubRepository.upsert({
      where: { id: BigInt(r.id) },
      create: { id: BigInt(r.id), installationId: installationRowId, fullName: r.fullName, private: r.private },
      update: { installationId: installationRowId, fullName: r.fullName, private: r.private },
    });
  }
}

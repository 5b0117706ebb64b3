import type { Db } from '@paas/db';
import { githubAppView } from './github-app-view';

/**
 * The GitHub App (if made), its installations and the repositories each gives
 * access to, with the apps connected to each repository: what an admin picks
 * from to connect an app.
 */
export async function getGithubIntegration(deps: { db: Db }, scope: { teamId?: string } = {}) {
  const [app, installations] = await Promise.all([
    deps.db.githubApp.findFirst(),
    deps.db.githubInstallation.findMany({
      orderBy: { accountLogin: 'asc' },
      include: {
        repositories: { orderBy: { fullName: 'asc' } },
      },
    }),
  ]);
  const repoIds = installations.flatMap((i) => i.repositories.map((r) => r.id));
  const connected = repoIds.length
    ? await deps.db.app.findMany({
        // Only the caller's team's apps: another team's apps are not theirs to see.
        where: { githubRepoId: { in: repoIds }, deletingAt: null, ...(scope.teamId ? { teamId: scope.teamId } : {}) },
        select: { name: true, branch: true, githubRepoId: true },
        orderBy: { name: 'asc' },
      })
    : [];
  return {
    app: app ? githubAppView(app) : null,
    installations: installations.map((i) => ({
      id: Number(i.installationId),
      account: i.accountLogin,
      accountType: i.accountType,
      repositorySelection: i.repositorySelection,
      suspended: i.suspendedAt !== null,
      repositories: i.repositories.map((r) => ({
        id: Number(r.id),
        fullName: r.fullName,
        private: r.private,
        apps: connected.filter((a) => a.githubRepoId === r.id).map((a) => ({ name: a.name, branch: a.branch })),
      })),
    })),
  };
}

import type { CoreContext } from '../context';
import type { GithubAppKey } from '../ports/github';

/**
 * What every call for a connected app's repository needs: the GitHub App's key
 * and which installation and repository to act on. Null when the App is gone
 * or no longer reaches the repository.
 */
export async function connectedRepository(
  ctx: Pick<CoreContext, 'db' | 'secrets'>,
  githubRepoId: bigint,
): Promise<{ key: GithubAppKey; target: { installationId: number; repositoryId: number; fullName: string } } | null> {
  const [repo, app] = await Promise.all([
    ctx.db.githubRepository.findUnique({ where: { id: githubRepoId }, include: { installation: true } }),
    ctx.db.githubApp.findFirst(),
  ]);
  if (!repo || !app) return null;
  return {
    key: { appId: Number(app.githubAppId), privateKey: ctx.secrets.open(app.privateKeyEnc) },
    target: { installationId: Number(repo.installation.installationId), repositoryId: Number(repo.id), fullName: repo.fullName },
  };
}

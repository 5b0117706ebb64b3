import type { CoreContext } from '../context';
import { AppError } from '../errors';
import type { SourceArchive } from '../ports/github';
import { connectedRepository } from './connected-repository';

/**
 * For an app connected to a repository through the GitHub App: the commit
 * `ref` names and where its tarball is, with a short-lived token that can only
 * read that repository. Null for an app that is not connected (its builder
 * clones `repoUrl`). The token lives in memory only: it goes to the builder and
 * is never stored.
 */
export async function githubSourceFor(
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'github'>,
  app: { githubRepoId: bigint | null; name: string },
  ref: string,
): Promise<SourceArchive | null> {
  if (app.githubRepoId === null) return null;
  const connected = await connectedRepository(ctx, app.githubRepoId);
  if (!connected) {
    throw new AppError(
      'build_failed',
      `${app.name} is connected to a GitHub repository the App can no longer reach: reinstall the App on it, or connect the app again`,
    );
  }
  return ctx.github.sourceArchive(connected.key, { ...connected.target, ref });
}

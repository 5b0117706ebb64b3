import type { CoreContext } from '../context';
import type { SourceArchive } from '../ports/github';
import { sourceToken } from './source-token';

/**
 * A deploy from `git push` builds the pushed commit from the platform's own
 * repository of the app: a tarball the dashboard serves to the builder, on
 * this machine or on a build instance in AWS alike.
 */
export function pushedSourceFor(
  ctx: Pick<CoreContext, 'secrets' | 'links' | 'now'>,
  app: { id: string; name: string },
  trigger: string,
  commitSha: string | null,
): SourceArchive | null {
  if (trigger !== 'git' || !commitSha) return null;
  return {
    commitSha,
    url: ctx.links.gitArchive(app.name, commitSha),
    authorization: `Bearer ${sourceToken(ctx.secrets, app.id, commitSha, ctx.now())}`,
  };
}

import { isSourceToken } from '@paas/core';
import { webContext } from '@/server/context';
import { appRepositoryPath, runGit } from '@/server/git/app-repository';
import { appNameOfRepo } from '@/server/git/git-guard';

export const dynamic = 'force-dynamic';

/**
 * A pushed commit as a tarball, for the builder: authorized by the short-lived
 * token the deployment made for exactly this app and commit, nothing else.
 */
export async function GET(request: Request, { params }: { params: Promise<{ repo: string; file: string }> }) {
  const { repo, file } = await params;
  const sha = /^([0-9a-f]{40})\.tar\.gz$/.exec(file)?.[1];
  if (!sha) return new Response('not found\n', { status: 404 });
  const ctx = webContext();
  const app = await ctx.db.app.findUnique({ where: { name: appNameOfRepo(repo) }, select: { id: true, name: true } });
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!app || !isSourceToken(ctx.secrets, token, app.id, sha, new Date())) {
    return new Response('not found\n', { status: 404 });
  }
  const { code, stdout, stderr } = await runGit([
    `--git-dir=${appRepositoryPath(app.id)}`,
    'archive',
    '--format=tar.gz',
    `--prefix=${app.name}-${sha.slice(0, 7)}/`,
    sha,
  ]);
  if (code !== 0) return new Response(`git archive failed: ${stderr.toString()}`, { status: 404 });
  return new Response(new Uint8Array(stdout), { headers: { 'content-type': 'application/gzip' } });
}

import { gunzipSync } from 'node:zlib';
import { ensureAppRepository, runGit } from '@/server/git/app-repository';
import { gitGuard } from '@/server/git/git-guard';

export const dynamic = 'force-dynamic';

/** `git clone` / `git fetch` of what was pushed. */
export async function POST(request: Request, { params }: { params: Promise<{ repo: string }> }) {
  const { repo } = await params;
  const guarded = await gitGuard(request, repo, 'app.read');
  if (guarded instanceof Response) return guarded;
  const path = await ensureAppRepository(guarded.app.id);
  let body = Buffer.from(await request.arrayBuffer());
  if (request.headers.get('content-encoding') === 'gzip') body = gunzipSync(body);
  const { code, stdout, stderr } = await runGit(['upload-pack', '--stateless-rpc', path], body);
  if (code !== 0 && stdout.length === 0) return new Response(`git failed: ${stderr.toString()}`, { status: 500 });
  return new Response(new Uint8Array(stdout), {
    headers: { 'content-type': 'application/x-git-upload-pack-result', 'cache-control': 'no-cache' },
  });
}

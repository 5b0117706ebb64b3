import { ensureAppRepository, runGit } from '@/server/git/app-repository';
import { gitGuard } from '@/server/git/git-guard';
import { FLUSH, pkt } from '@/server/git/pkt-line';

export const dynamic = 'force-dynamic';

// Git's smart HTTP protocol, first request: the refs the app's repository has.
// Pushing deploys, so it needs a role that may deploy; fetching needs a reader.
const SERVICES = { 'git-receive-pack': 'app.deploy', 'git-upload-pack': 'app.read' } as const;

export async function GET(request: Request, { params }: { params: Promise<{ repo: string }> }) {
  const service = new URL(request.url).searchParams.get('service');
  if (service !== 'git-receive-pack' && service !== 'git-upload-pack') {
    return new Response('only git smart HTTP clients are served here (git 1.6.6 or newer)\n', { status: 403 });
  }
  const { repo } = await params;
  const guarded = await gitGuard(request, repo, SERVICES[service]);
  if (guarded instanceof Response) return guarded;
  const path = await ensureAppRepository(guarded.app.id);
  const { code, stdout, stderr } = await runGit([service.slice(4), '--stateless-rpc', '--advertise-refs', path]);
  if (code !== 0) return new Response(`git failed: ${stderr.toString()}`, { status: 500 });
  return new Response(Buffer.concat([pkt(`# service=${service}\n`), FLUSH, stdout]), {
    headers: { 'content-type': `application/x-${service}-advertisement`, 'cache-control': 'no-cache' },
  });
}

import { gunzipSync } from 'node:zlib';
import { appUrl, getApp, isAppError, requestDeploy } from '@paas/core';
import { webContext } from '@/server/context';
import { ensureAppRepository, runGit } from '@/server/git/app-repository';
import { followDeployment } from '@/server/git/follow-deployment';
import { gitGuard } from '@/server/git/git-guard';
import { band, FLUSH, parsePkts, pkt, progress, pushCommands } from '@/server/git/pkt-line';
import { appUrlOptions } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

const ZERO = '0'.repeat(40);
// A push larger than this is refused before git sees it.
const MAX_PUSH_BYTES = 512 * 1024 * 1024;

/**
 * `git push paas main`: git stores the pushed commits in the app's own
 * repository, then the push deploys the new head of the branch and streams
 * the build and rollout to the terminal ("remote: …"), as Heroku does. If the
 * deploy fails, the branch goes back to where it was and git reports the push
 * as rejected, so pushing again retries.
 */
export async function POST(request: Request, { params }: { params: Promise<{ repo: string }> }) {
  const { repo } = await params;
  const guarded = await gitGuard(request, repo, 'app.deploy');
  if (guarded instanceof Response) return guarded;
  const { caller, app } = guarded;
  if (Number(request.headers.get('content-length') ?? '0') > MAX_PUSH_BYTES) {
    return new Response('push too large\n', { status: 413 });
  }
  const path = await ensureAppRepository(app.id);
  let body = Buffer.from(await request.arrayBuffer());
  if (request.headers.get('content-encoding') === 'gzip') body = gunzipSync(body);
  const { updates, capabilities } = pushCommands(body);
  const received = await runGit(['receive-pack', '--stateless-rpc', path], body);
  const sideband = capabilities.includes('side-band-64k') || capabilities.includes('side-band');
  const headers = { 'content-type': 'application/x-git-receive-pack-result', 'cache-control': 'no-cache' };
  if (!sideband) return new Response(new Uint8Array(received.stdout), { headers });

  // receive-pack's answer: its progress goes out as is; its report (band 1) is held to the end.
  const passthrough: Buffer[] = [];
  const report: Buffer[] = [];
  for (const packet of parsePkts(received.stdout).packets) {
    if (packet === null) continue;
    if (packet[0] === 1) report.push(packet.subarray(1));
    else passthrough.push(pkt(packet));
  }
  const reportLines = parsePkts(Buffer.concat(report))
    .packets.filter((p): p is Buffer => p !== null)
    .map(String);
  const deployable = new Set([`refs/heads/${app.branch}`, 'refs/heads/main', 'refs/heads/master']);
  const target = updates.find(
    (u) => deployable.has(u.ref) && u.new !== ZERO && reportLines.some((l) => l.trim() === `ok ${u.ref}`),
  );

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk));
      const say = (text: string) => send(progress(text));
      let rejected: string | null = null;
      for (const p of passthrough) send(p);
      try {
        if (!target) {
          if (updates.some((u) => u.new !== ZERO))
            say(`-----> Stored. Only a push to ${[...deployable][0]?.slice(11)} deploys.\n`);
        } else {
          const ctx = webContext();
          const deployment = await requestDeploy(ctx, app.name, { ref: target.new }, caller.actor, 'git');
          say(`-----> Deploying ${target.new.slice(0, 7)} to ${app.name} (deployment ${deployment.id})\n`);
          const follow = followDeployment(deployment.id, request.signal);
          let next = await follow.next();
          while (!next.done) {
            say(next.value);
            next = await follow.next();
          }
          const outcome = next.value;
          if (outcome.state === 'succeeded') {
            const urls = (await getApp(ctx, app.name)).urls;
            const at = (h: string) => appUrl(appUrlOptions(ctx.env), h);
            say(`-----> Released v${outcome.version} at ${urls.map(at).join(', ')}\n`);
          } else if (!request.signal.aborted) {
            rejected = `deploy ${outcome.state}`;
            say(`\n !     Deploy ${outcome.state}: ${outcome.error ?? 'see the deployment in the dashboard'}\n`);
            // Back to where the branch was, so that pushing again deploys again.
            await runGit(
              target.old === ZERO
                ? [`--git-dir=${path}`, 'update-ref', '-d', target.ref, target.new]
                : [`--git-dir=${path}`, 'update-ref', target.ref, target.old, target.new],
            );
          }
        }
      } catch (error) {
        rejected = 'deploy refused';
        say(`\n !     ${isAppError(error) ? error.message : 'the platform could not start the deploy'}\n`);
        if (!isAppError(error)) console.error(error);
      }
      const lines = reportLines.map((l) =>
        rejected && target && l.trim() === `ok ${target.ref}` ? `ng ${target.ref} ${rejected}\n` : l,
      );
      send(band(1, Buffer.concat([...lines.map((l) => pkt(l)), FLUSH])));
      send(FLUSH);
      controller.close();
    },
  });
  return new Response(stream, { headers });
}

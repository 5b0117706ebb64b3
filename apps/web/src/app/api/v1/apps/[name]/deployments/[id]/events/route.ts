import { getDeployment, isLive, readBuildLog } from '@paas/core';
import { guard } from '@/server/caller';
import { eventStream, type SentEvent } from '@/server/event-stream';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

// A deployment's page follows it live from here: `deployment` (state, steps
// with their timings and current wait) whenever it changes, `log` with each
// new piece of the build log, then `end`.
const EVERY_MS = 400;

export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string; id: string }> }) => {
  const { name, id } = await params;
  await guard(request, 'app.read', name);
  const ctx = webContext();
  // Fails here (404) rather than inside the stream when there is no such deployment.
  await getDeployment(ctx, name, id);
  let last = '';
  let offset = 0;
  let ended = false;
  return eventStream(
    request,
    async () => {
      const events: SentEvent[] = [];
      const deployment = await getDeployment(ctx, name, id);
      const snapshot = JSON.stringify(deployment);
      if (snapshot !== last) {
        last = snapshot;
        events.push({ event: 'deployment', data: deployment });
      }
      const log = await readBuildLog(ctx, name, id, offset);
      if (log.text !== '') events.push({ event: 'log', data: { text: log.text, offset } });
      offset = log.offset;
      // The log can still be copied in just after the state turns final: one more read, then the end.
      const done = !isLive(deployment.state) && log.complete;
      if (done && !ended) {
        ended = true;
        events.push({ event: 'end', data: { state: deployment.state } });
      }
      return { events, done };
    },
    EVERY_MS,
  );
});

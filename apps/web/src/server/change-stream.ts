import 'server-only';
import { eventStream } from './event-stream';

const EVERY_MS = 1_000;

/**
 * `changed` each time `stamp()` differs from the last one seen, `gone` and the
 * end when it turns null. `?since=` is the stamp the page was rendered with, so
 * a change between rendering and connecting is not missed; without it the first
 * read is the baseline.
 */
export function changeStream(request: Request, stamp: () => Promise<string | null>): Response {
  let last: string | null | undefined = new URL(request.url).searchParams.get('since') ?? undefined;
  return eventStream(
    request,
    async () => {
      const now = await stamp();
      if (now === null) return { events: [{ event: 'gone', data: {} }], done: true };
      const events = last !== undefined && now !== last ? [{ event: 'changed', data: { at: new Date().toISOString() } }] : [];
      last = now;
      return { events, done: false };
    },
    EVERY_MS,
  );
}

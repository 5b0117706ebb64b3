import 'server-only';

// Server-sent events: the browser keeps one connection and is told what
// changed; it never polls. The server reads Postgres (what the worker
// records), never the worker or the cloud.
const HEARTBEAT_MS = 15_000;

export interface SentEvent {
  event: string;
  data: unknown;
}

/**
 * Streams the events `next()` yields, every `everyMs`, until it says it is
 * done or the client goes away. A comment line every 15 s keeps proxies from
 * closing an idle stream.
 */
export function eventStream(
  request: Request,
  next: () => Promise<{ events: SentEvent[]; done: boolean }>,
  everyMs: number,
): Response {
  const encoder = new TextEncoder();
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      request.signal.addEventListener('abort', () => {
        closed = true;
      });
      let quietSince = Date.now();
      try {
        while (!closed) {
          const { events, done } = await next();
          for (const e of events) controller.enqueue(encoder.encode(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`));
          if (events.length > 0) quietSince = Date.now();
          else if (Date.now() - quietSince > HEARTBEAT_MS) {
            controller.enqueue(encoder.encode(': still here\n\n'));
            quietSince = Date.now();
          }
          if (done) break;
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        controller.enqueue(encoder.encode(`event: failure\ndata: ${JSON.stringify({ message })}\n\n`));
      }
      if (!closed) controller.close();
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}

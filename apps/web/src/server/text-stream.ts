import 'server-only';

const TEXT_HEADERS = {
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'no-store',
  // Proxies must pass each piece on as it comes, not buffer the stream.
  'x-accel-buffering': 'no',
};

export function textResponse(text: string): Response {
  return new Response(text, { headers: TEXT_HEADERS });
}

/**
 * A plain-text stream fed by polling: `read(cursor)` returns what is new and
 * whether the source is finished. It ends when the source is done or the client
 * goes away. Polling Postgres (or a log file) is what the web app may do; it
 * never waits on the worker or the cloud.
 */
export function followText<C>(
  request: Request,
  start: C,
  read: (cursor: C) => Promise<{ text: string; cursor: C; done: boolean }>,
  /** A fixed interval, or one that doubles while nothing new comes (up to maxMs) and drops back on new text. */
  every: number | { minMs: number; maxMs: number },
): Response {
  const minMs = typeof every === 'number' ? every : every.minMs;
  const maxMs = typeof every === 'number' ? every : every.maxMs;
  let delay = minMs;
  const encoder = new TextEncoder();
  let cursor = start;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      request.signal.addEventListener('abort', () => {
        closed = true;
      });
      try {
        while (!closed) {
          const chunk = await read(cursor);
          cursor = chunk.cursor;
          if (chunk.text !== '') controller.enqueue(encoder.encode(chunk.text));
          if (chunk.done) break;
          delay = chunk.text !== '' ? minMs : Math.min(maxMs, delay * 2);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      } catch (error) {
        controller.enqueue(encoder.encode(`\n[stream ended: ${error instanceof Error ? error.message : String(error)}]\n`));
      }
      if (!closed) controller.close();
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(stream, { headers: TEXT_HEADERS });
}

import { readAppLogs } from '@paas/core';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { followText, textResponse } from '@/server/text-stream';

export const dynamic = 'force-dynamic';

/** The app's process output: `?tail=N` last lines (default 100), `&follow=1` keeps streaming. */
export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  const ctx = webContext();
  const search = new URL(request.url).searchParams;
  const tail = search.get('tail') ?? undefined;
  const first = await readAppLogs(ctx, name, { tail, cursor: null });
  if (search.get('follow') !== '1') return textResponse(first.text);
  return followText(
    request,
    { cursor: first.cursor, pending: first.text },
    async ({ cursor, pending }) => {
      if (pending !== '') return { text: pending, cursor: { cursor, pending: '' }, done: false };
      const next = await readAppLogs(ctx, name, { tail: 0, cursor });
      return { text: next.text, cursor: { cursor: next.cursor, pending: '' }, done: false };
    },
    // A quiet app is read less and less often (each read is a cloud call on AWS), a busy one every 0.5 s.
    { minMs: 500, maxMs: 5_000 },
  );
});

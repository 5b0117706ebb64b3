import { readBuildLog } from '@paas/core';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { followText, textResponse } from '@/server/text-stream';

export const dynamic = 'force-dynamic';

/** The build log as plain text; `?follow=1` streams it while the build runs. */
export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string; id: string }> }) => {
  const { name, id } = await params;
  await guard(request, 'app.read', name);
  const ctx = webContext();
  const first = await readBuildLog(ctx, name, id, 0);
  if (new URL(request.url).searchParams.get('follow') !== '1' || first.complete) return textResponse(first.text);
  return followText(
    request,
    { offset: first.offset, pending: first.text },
    async ({ offset, pending }) => {
      if (pending !== '') return { text: pending, cursor: { offset, pending: '' }, done: false };
      const next = await readBuildLog(ctx, name, id, offset);
      return { text: next.text, cursor: { offset: next.offset, pending: '' }, done: next.complete };
    },
    300,
  );
});

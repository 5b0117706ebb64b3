import { teamChangeStamp } from '@paas/core';
import { guard } from '@/server/caller';
import { changeStream } from '@/server/change-stream';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Server-sent `changed` whenever the team's apps list would show something new. */
export const GET = handler(async (request: Request) => {
  const { teamId } = await guard(request, 'app.read');
  const { db } = webContext();
  return changeStream(request, () => teamChangeStamp(db, teamId));
});

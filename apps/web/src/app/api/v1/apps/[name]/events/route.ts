import { appChangeStamp } from '@paas/core';
import { guard } from '@/server/caller';
import { changeStream } from '@/server/change-stream';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Server-sent `changed` whenever anything the app's page shows changes; `gone` once the app is deleted. */
export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  const { db } = webContext();
  const { id } = await db.app.findUniqueOrThrow({ where: { name }, select: { id: true } });
  return changeStream(request, () => appChangeStamp(db, id));
});

import { requestRollback } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `{ "version": N }` → 202: a new release running exactly what vN ran. */
export const POST = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.rollback', name);
  const deployment = await requestRollback(webContext(), name, await readJson(request), actor);
  return NextResponse.json(
    { deployment },
    { status: 202, headers: { location: `/api/v1/apps/${name}/deployments/${deployment.id}` } },
  );
});

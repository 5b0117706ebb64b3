import { requestRollback } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, readJson, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `{ "version": N }` → 202: a new release running exactly what vN ran. */
export const POST = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const actor = requireApiToken(request);
  const { name } = await params;
  const deployment = await requestRollback(webContext(), name, await readJson(request), actor);
  return NextResponse.json(
    { deployment },
    { status: 202, headers: { location: `/api/v1/apps/${name}/deployments/${deployment.id}` } },
  );
});

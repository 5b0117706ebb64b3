import { requestDeploy } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `{ "ref"?: branch, tag or sha }` → 202 with the deployment; without a ref, the tracked branch's head. */
export const POST = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.deploy', name);
  const deployment = await requestDeploy(webContext(), name, await readJson(request, { emptyAs: {} }), actor);
  return NextResponse.json(
    { deployment },
    { status: 202, headers: { location: `/api/v1/apps/${name}/deployments/${deployment.id}` } },
  );
});

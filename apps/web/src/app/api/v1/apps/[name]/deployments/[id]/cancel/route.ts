import { cancelDeployment } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** 202: the engine stops the deployment and undoes what it changed; 409 once it has finished. */
export const POST = handler(async (request: Request, { params }: { params: Promise<{ name: string; id: string }> }) => {
  const { name, id } = await params;
  const { actor } = await guard(request, 'deployment.cancel', name);
  return NextResponse.json({ deployment: await cancelDeployment(webContext(), name, id, actor) }, { status: 202 });
});

import { updateFormation } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const PATCH = handler(async (request: Request, { params }: { params: Promise<{ name: string; type: string }> }) => {
  const { name, type } = await params;
  const { actor } = await guard(request, 'app.scale', name);
  const body = await readJson(request);
  // A new size rolls out as a release: the deployment that does it is in the answer.
  return NextResponse.json(await updateFormation(webContext(), name, type, body, actor));
});

import { getDeployment } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string; id: string }> }) => {
  requireApiToken(request);
  const { name, id } = await params;
  return NextResponse.json({ deployment: await getDeployment(webContext(), name, id) });
});

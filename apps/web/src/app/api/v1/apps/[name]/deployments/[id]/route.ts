import { getDeployment } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string; id: string }> }) => {
  const { name, id } = await params;
  await guard(request, 'app.read', name);
  return NextResponse.json({ deployment: await getDeployment(webContext(), name, id) });
});

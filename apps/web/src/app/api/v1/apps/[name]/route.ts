import { getApp } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  requireApiToken(request);
  const { name } = await params;
  return NextResponse.json({ app: await getApp(webContext(), name) });
});

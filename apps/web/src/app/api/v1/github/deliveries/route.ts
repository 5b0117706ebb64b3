import { listDeliveries } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `?status=failed|ignored|processed|received`: the platform's recent GitHub deliveries, newest first. */
export const GET = handler(async (request: Request) => {
  requireApiToken(request);
  const status = new URL(request.url).searchParams.get('status');
  return NextResponse.json({ deliveries: await listDeliveries(webContext(), { status }) });
});

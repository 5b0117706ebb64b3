import { listDeliveries } from '@paas/core';
import { NextResponse } from 'next/server';
import { authorizePlatform, guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `?status=failed|ignored|processed|received`: the platform's recent GitHub deliveries, newest first. */
export const GET = handler(async (request: Request) => {
  const caller = await guard(request, 'github.manage');
  authorizePlatform(caller, 'github.manage');
  const status = new URL(request.url).searchParams.get('status');
  return NextResponse.json({ deliveries: await listDeliveries(webContext(), { status }) });
});

import { listAppDeliveries } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

/** The recent GitHub deliveries about the app's repository: event, outcome, and what each meant for this app. */
export const GET = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  return NextResponse.json({ deliveries: await listAppDeliveries(webContext(), name) });
});

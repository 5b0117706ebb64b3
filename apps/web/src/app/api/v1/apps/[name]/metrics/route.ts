import { getAppMetrics } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `?window=1h|6h|24h`: requests/s, 5xx rate, latency percentiles and instances over time, with release markers. */
export const GET = handler(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  const window = new URL(request.url).searchParams.get('window') ?? '1h';
  return NextResponse.json({ metrics: await getAppMetrics(webContext(), name, window) });
});

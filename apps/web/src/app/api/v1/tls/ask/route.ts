import { servesHostname } from '@paas/core';
import { NextResponse } from 'next/server';
import { webContext } from '@/server/context';
import { handler } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * For the TLS proxy of a one-server install (Caddy's on-demand `ask`): 200
 * when the platform serves `?domain=` (an app's host name or a ready custom
 * domain), 404 otherwise. Public: it tells no more than the host names do.
 */
export const GET = handler(async (request: Request) => {
  const domain = new URL(request.url).searchParams.get('domain') ?? '';
  const served = await servesHostname(webContext(), domain);
  return NextResponse.json({ domain, served }, { status: served ? 200 : 404 });
});

import { removeDomain } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** → 202: the hostname stops being served and its certificate is removed. */
export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ name: string; hostname: string }> }) => {
  const { name, hostname } = await params;
  const { actor } = await guard(request, 'domain.write', name);
  return NextResponse.json(await removeDomain(webContext(), name, decodeURIComponent(hostname), actor), { status: 202 });
});

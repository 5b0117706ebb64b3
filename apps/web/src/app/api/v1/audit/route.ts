import { listAuditEvents } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `?app=&action=&actor=&before=&limit=`: the team's audit log, newest first (admins). */
export const GET = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return NextResponse.json(await listAuditEvents(webContext(), caller, query));
});

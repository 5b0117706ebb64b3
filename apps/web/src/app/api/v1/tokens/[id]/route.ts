import { revokeApiToken } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Revokes a token at once (yours, or any of the team's for an admin). */
export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const caller = await apiCaller(request);
  const { id } = await params;
  return NextResponse.json({ token: await revokeApiToken({ db: webContext().db, now: () => new Date() }, caller, id) });
});

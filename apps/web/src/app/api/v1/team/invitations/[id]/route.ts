import { revokeInvitation } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const caller = await apiCaller(request);
  const { id } = await params;
  return NextResponse.json({ invitation: await revokeInvitation({ db: webContext().db, now: () => new Date() }, caller, id) });
});

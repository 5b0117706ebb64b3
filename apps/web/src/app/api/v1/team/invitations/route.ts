import { createInvitation } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

/** `{role, email?}` → 201 with the invitation link (shown once; it is the credential). */
export const POST = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  const ctx = webContext();
  const invitation = await createInvitation({ db: ctx.db, now: () => new Date() }, caller, await readJson(request));
  const { dashboardUrl } = publicUrls(ctx.env, request);
  const { token, ...rest } = invitation;
  return NextResponse.json({ invitation: { ...rest, url: `${dashboardUrl}/invite/${token}` } }, { status: 201 });
});

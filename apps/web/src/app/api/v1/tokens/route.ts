import { createApiToken, listApiTokens } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

const clock = () => ({ db: webContext().db, now: () => new Date() });

/** Your API tokens for the current team (never the secret). */
export const GET = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  return NextResponse.json({ tokens: await listApiTokens(clock(), caller) });
});

/** `{name, expiresInDays?: 1..365 (90), role?}` → 201 with `token`, shown this once. Signed-in sessions only. */
export const POST = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  const created = await createApiToken(clock(), caller, await readJson(request));
  return NextResponse.json({ token: created }, { status: 201 });
});

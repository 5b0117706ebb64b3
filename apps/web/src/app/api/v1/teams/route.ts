import { createTeam, listMyTeams } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { cloudSettings } from '@/server/context';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Your teams and your role in each. */
export const GET = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  return NextResponse.json({ teams: await listMyTeams(webContext(), caller.userId) });
});

/** `{slug, name}` → 201: a new team, you its owner. */
export const POST = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  const ctx = webContext();
  const team = await createTeam({ db: ctx.db, cloud: cloudSettings(ctx.env) }, caller, await readJson(request));
  return NextResponse.json({ team }, { status: 201 });
});

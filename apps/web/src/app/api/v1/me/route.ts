import { listMyTeams } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** Who the token or session is, the team it acts on with which role, and the user's other teams. */
export const GET = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  return NextResponse.json({
    user: { id: caller.userId, email: caller.email },
    team: caller.teamSlug,
    role: caller.role,
    via: caller.via,
    teams: await listMyTeams(webContext(), caller.userId),
  });
});

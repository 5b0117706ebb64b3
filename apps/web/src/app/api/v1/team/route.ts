import { deleteTeam, listTeamMembers } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** The current team: its members with their roles, and (for admins) open invitations. */
export const GET = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  const members = await listTeamMembers({ db: webContext().db, now: () => new Date() }, caller);
  return NextResponse.json({ team: caller.teamSlug, role: caller.role, ...members });
});

/** Owners only; the team must have no apps left. */
export const DELETE = handler(async (request: Request) => {
  const caller = await apiCaller(request);
  return NextResponse.json({ team: await deleteTeam(webContext(), caller) });
});

import { changeMemberRole, removeMember } from '@paas/core';
import { NextResponse } from 'next/server';
import { apiCaller } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ userId: string }> };

/** `{role}`: nobody grants more than their own role; a team keeps an owner. */
export const PATCH = handler(async (request: Request, { params }: Params) => {
  const caller = await apiCaller(request);
  const { userId } = await params;
  return NextResponse.json({ member: await changeMemberRole(webContext(), caller, userId, await readJson(request)) });
});

/** Removes a member (or yourself: leaving); their tokens for the team stop working at once. */
export const DELETE = handler(async (request: Request, { params }: Params) => {
  const caller = await apiCaller(request);
  const { userId } = await params;
  return NextResponse.json({ member: await removeMember({ db: webContext().db, now: () => new Date() }, caller, userId) });
});

import { completeGithubAppSetup } from '@paas/core';
import { NextResponse } from 'next/server';
import { forgetGithubSignIn } from '@/server/better-auth';
import { authorizePlatform, guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `{code}` from the App-manifest flow's redirect → 201 with the App (its secrets are stored encrypted, never shown). */
export const POST = handler(async (request: Request) => {
  const caller = await guard(request, 'github.manage');
  authorizePlatform(caller, 'github.manage');
  const actor = caller.actor;
  const body = (await readJson(request)) as { code?: unknown };
  const app = await completeGithubAppSetup(webContext(), typeof body?.code === 'string' ? body.code : '', actor);
  forgetGithubSignIn();
  return NextResponse.json({ app }, { status: 201 });
});

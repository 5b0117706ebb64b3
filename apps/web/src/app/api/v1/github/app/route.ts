import { completeGithubAppSetup } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, readJson, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** `{code}` from the App-manifest flow's redirect → 201 with the App (its secrets are stored encrypted, never shown). */
export const POST = handler(async (request: Request) => {
  const actor = requireApiToken(request);
  const body = (await readJson(request)) as { code?: unknown };
  const app = await completeGithubAppSetup(webContext(), typeof body?.code === 'string' ? body.code : '', actor);
  return NextResponse.json({ app }, { status: 201 });
});

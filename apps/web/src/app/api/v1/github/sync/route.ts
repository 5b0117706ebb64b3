import { requestGithubSync } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** 202: a worker reads the App's installations and repositories from GitHub. */
export const POST = handler(async (request: Request) => {
  requireApiToken(request);
  await requestGithubSync(webContext());
  return NextResponse.json({ status: 'syncing' }, { status: 202 });
});

import { requestGithubSync } from '@paas/core';
import { NextResponse } from 'next/server';
import { authorizePlatform, guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** 202: a worker reads the App's installations and repositories from GitHub. */
export const POST = handler(async (request: Request) => {
  const caller = await guard(request, 'github.manage');
  authorizePlatform(caller, 'github.manage');
  await requestGithubSync(webContext());
  return NextResponse.json({ status: 'syncing' }, { status: 202 });
});

import { connectRepository } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, readJson, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

/** `{repositoryId, branch?}`: deploy pushes of that repository (by GitHub's id) and branch; `{repositoryId: null}` disconnects. */
export const PUT = handler(async (request: Request, { params }: Params) => {
  const actor = requireApiToken(request);
  const { name } = await params;
  const ctx = webContext();
  return NextResponse.json({
    app: await connectRepository({ db: ctx.db, githubUrl: ctx.env.GITHUB_URL }, name, await readJson(request), actor),
  });
});

import { connectRepository } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

/** `{repositoryId, branch?}`: deploy pushes of that repository (by GitHub's id) and branch; `{repositoryId: null}` disconnects. */
export const PUT = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.settings', name);
  const ctx = webContext();
  return NextResponse.json({
    app: await connectRepository({ db: ctx.db, githubUrl: ctx.env.GITHUB_URL }, name, await readJson(request), actor),
  });
});

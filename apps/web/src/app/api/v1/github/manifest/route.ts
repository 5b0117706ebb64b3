import { githubAppManifest } from '@paas/core';
import { NextResponse } from 'next/server';
import { authorizePlatform, guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

/**
 * `?name=&organization=&state=`: the manifest to POST (as the form field
 * `manifest`) to `postTo` from a browser; GitHub then redirects to the
 * dashboard's callback with a code, which `POST /api/v1/github/app` also takes.
 */
export const GET = handler(async (request: Request) => {
  const caller = await guard(request, 'github.manage');
  authorizePlatform(caller, 'github.manage');
  const params = new URL(request.url).searchParams;
  const ctx = webContext();
  return NextResponse.json(
    githubAppManifest(
      { name: params.get('name') ?? '', organization: params.get('organization') ?? '' },
      publicUrls(ctx.env, request),
      params.get('state') ?? '',
    ),
  );
});

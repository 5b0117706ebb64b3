import { getGithubIntegration } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

/** The GitHub App (never its secrets), its installations and their repositories, with the apps connected to each. */
export const GET = handler(async (request: Request) => {
  const { teamId } = await guard(request, 'app.read');
  const ctx = webContext();
  const { webhookUrl } = publicUrls(ctx.env, request);
  return NextResponse.json({ ...(await getGithubIntegration(ctx, { teamId })), webhookUrl });
});

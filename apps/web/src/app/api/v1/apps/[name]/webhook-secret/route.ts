import { removeAppWebhookSecret, rotateAppWebhookSecret } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

/**
 * 201 `{secret, url}`, shown this once: a webhook secret of the app's own, for
 * a repository outside the GitHub App. Point the repository's hook at `url`;
 * the previous secret stops working.
 */
export const POST = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.settings', name);
  const ctx = webContext();
  const { secret } = await rotateAppWebhookSecret(ctx, name, actor);
  const url = `${publicUrls(ctx.env, request).webhookUrl}/apps/${name}`;
  return NextResponse.json({ secret, url }, { status: 201, headers: { 'cache-control': 'no-store' } });
});

/** The app's own secret goes; its hook's deliveries are refused from now on. */
export const DELETE = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.settings', name);
  await removeAppWebhookSecret(webContext(), name, actor);
  return NextResponse.json({ removed: true });
});

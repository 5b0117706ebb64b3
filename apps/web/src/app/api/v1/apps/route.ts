import { createApp, getApp, listApps } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { cloudSettings } from '@/server/context';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request) => {
  const { teamId } = await guard(request, 'app.read');
  return NextResponse.json({ apps: await listApps(webContext(), { teamId }) });
});

export const POST = handler(async (request: Request) => {
  const { actor, teamId } = await guard(request, 'app.create');
  const body = await readJson(request);
  const ctx = webContext();
  const created = await createApp({ db: ctx.db, cloud: cloudSettings(ctx.env), teamId }, body, actor);
  const app = await getApp(ctx, created.name);
  return NextResponse.json(
    { app: { id: app.id, name: app.name, repoUrl: app.repoUrl, branch: app.branch, urls: app.urls } },
    { status: 201, headers: { location: `/api/v1/apps/${app.name}` } },
  );
});

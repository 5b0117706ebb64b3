import { getApp, requestAppDeletion, updateAppSettings } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

export const GET = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  return NextResponse.json({ app: await getApp(webContext(), name) });
});

/** 202: the worker removes the app's processes, routes, builds and rows; then the name is free. */
export const DELETE = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.delete', name);
  const deletion = await requestAppDeletion(webContext(), name, actor);
  return NextResponse.json({ app: { name: deletion.name, status: 'deleting' } }, { status: 202 });
});

/**
 * `{"healthCheck": {path, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold} | null}`: used from the next release;
 * `{"reviewApps": {"enabled": true, "config": {"KEY": "value" | null}}}`: an app per pull request, with these config overrides;
 * `{"rootDir": "apps/web"}`: build from that directory of the repository (a monorepo), from the next deploy.
 */
export const PATCH = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'app.settings', name);
  return NextResponse.json({ app: await updateAppSettings(webContext(), name, await readJson(request), actor) });
});

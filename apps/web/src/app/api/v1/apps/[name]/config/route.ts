import { getConfig, updateConfig } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, readJson, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

export const GET = handler(async (request: Request, { params }: Params) => {
  requireApiToken(request);
  const { name } = await params;
  const { version, vars } = await getConfig(webContext(), name);
  return NextResponse.json({ config: vars, version });
});

/** `{ "KEY": "value" | null }` → 202 with the config release (200 when nothing changed). */
export const PATCH = handler(async (request: Request, { params }: Params) => {
  const actor = requireApiToken(request);
  const { name } = await params;
  const result = await updateConfig(webContext(), name, await readJson(request), actor);
  return NextResponse.json(
    { config: result.config, version: result.version, deployment: result.deployment },
    { status: result.changed ? 202 : 200 },
  );
});

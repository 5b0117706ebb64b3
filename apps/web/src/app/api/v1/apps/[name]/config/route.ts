import { can, getConfig, updateConfig } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

export const GET = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { role } = await guard(request, 'app.read', name);
  const { version, vars } = await getConfig(webContext(), name);
  // Viewers see which keys are set, never their values.
  const shown = can(role, 'config.read') ? vars : Object.fromEntries(Object.keys(vars).map((k) => [k, null]));
  return NextResponse.json({ config: shown, version, valuesHidden: !can(role, 'config.read') });
});

/** `{ "KEY": "value" | null }` → 202 with the config release (200 when nothing changed). */
export const PATCH = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'config.write', name);
  const result = await updateConfig(webContext(), name, await readJson(request), actor);
  return NextResponse.json(
    { config: result.config, version: result.version, deployment: result.deployment },
    { status: result.changed ? 202 : 200 },
  );
});

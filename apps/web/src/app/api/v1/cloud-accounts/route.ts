import { createCloudAccount, listCloudAccounts } from '@paas/core';
import { NextResponse } from 'next/server';
import { cloudSettings } from '@/server/context';
import { handler, readJson, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** The cloud accounts apps can run in, each with its check's outcome (never an ExternalId). */
export const GET = handler(async (request: Request) => {
  requireApiToken(request);
  return NextResponse.json({ cloudAccounts: await listCloudAccounts(webContext()) });
});

/** `{name, provider: "aws", region, roleArn?, externalId?, settings?}` → 201; a worker then checks it. */
export const POST = handler(async (request: Request) => {
  const actor = requireApiToken(request);
  const ctx = webContext();
  const account = await createCloudAccount({ ...ctx, cloud: cloudSettings(ctx.env) }, await readJson(request), actor);
  return NextResponse.json({ cloudAccount: account }, { status: 201 });
});

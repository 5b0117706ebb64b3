import { createCloudAccount, listCloudAccounts } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { cloudSettings } from '@/server/context';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/** The cloud accounts apps can run in, each with its check's outcome (never an ExternalId). */
export const GET = handler(async (request: Request) => {
  const { teamId } = await guard(request, 'app.read');
  return NextResponse.json({ cloudAccounts: await listCloudAccounts(webContext(), { teamId }) });
});

/** `{name, provider: "aws", region, roleArn?, externalId?, settings?}` → 201; a worker then checks it. */
export const POST = handler(async (request: Request) => {
  const { actor, teamId } = await guard(request, 'cloudAccount.write');
  const ctx = webContext();
  const account = await createCloudAccount({ ...ctx, cloud: cloudSettings(ctx.env), teamId }, await readJson(request), actor);
  return NextResponse.json({ cloudAccount: account }, { status: 201 });
});

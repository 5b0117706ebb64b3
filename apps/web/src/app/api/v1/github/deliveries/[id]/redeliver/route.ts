import { redeliverDelivery } from '@paas/core';
import { NextResponse } from 'next/server';
import { authorizePlatform, guard } from '@/server/caller';
import { handler, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** 202: a failed or ignored delivery (by X-GitHub-Delivery) is relayed again from its stored bytes; 409 once processed. */
export const POST = handler(async (request: Request, { params }: Params) => {
  const caller = await guard(request, 'github.manage');
  authorizePlatform(caller, 'github.manage');
  const actor = caller.actor;
  const { id } = await params;
  return NextResponse.json({ delivery: await redeliverDelivery(webContext(), id, actor) }, { status: 202 });
});

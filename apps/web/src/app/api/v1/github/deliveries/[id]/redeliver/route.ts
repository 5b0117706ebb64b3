import { redeliverDelivery } from '@paas/core';
import { NextResponse } from 'next/server';
import { handler, requireApiToken, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/** 202: a failed or ignored delivery (by X-GitHub-Delivery) is relayed again from its stored bytes; 409 once processed. */
export const POST = handler(async (request: Request, { params }: Params) => {
  const actor = requireApiToken(request);
  const { id } = await params;
  return NextResponse.json({ delivery: await redeliverDelivery(webContext(), id, actor) }, { status: 202 });
});

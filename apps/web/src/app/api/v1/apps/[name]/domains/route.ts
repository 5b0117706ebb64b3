import { addDomain, listDomains } from '@paas/core';
import { NextResponse } from 'next/server';
import { guard } from '@/server/caller';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ name: string }> };

/** The app's custom domains, each with its state and the DNS records to publish. */
export const GET = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  await guard(request, 'app.read', name);
  return NextResponse.json({ domains: await listDomains(webContext(), name) });
});

/** `{ "hostname": "www.example.com" }` → 202: the certificate is requested and the domain served once it is issued. */
export const POST = handler(async (request: Request, { params }: Params) => {
  const { name } = await params;
  const { actor } = await guard(request, 'domain.write', name);
  const ctx = webContext();
  const domain = await addDomain({ ...ctx, baseDomain: ctx.env.PAAS_DOMAIN }, name, await readJson(request), actor);
  return NextResponse.json({ hostname: domain.hostname, status: domain.status }, { status: 202 });
});

import { NextResponse } from 'next/server';
import { handler, webContext } from '@/server/http';
import { openApiDocument } from '@/server/openapi';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

/** The REST API's OpenAPI 3.1 description; public, like any API's reference. */
export const GET = handler(async (request: Request) => {
  const { dashboardUrl } = publicUrls(webContext().env, request);
  return NextResponse.json(openApiDocument(dashboardUrl));
});

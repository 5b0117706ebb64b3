import { NextResponse } from 'next/server';
import { ensureNotThrottled, noteFailure } from '@/server/auth-throttle';
import { authEndpoints, CLIENT_IP_HEADER } from '@/server/better-auth';
import { ensureSameOrigin, requestIp } from '@/server/caller';
import { handler, webContext } from '@/server/http';
import { publicUrls } from '@/server/public-urls';

export const dynamic = 'force-dynamic';

// Accounts are made only by the first-owner setup and by invitations (the
// dashboard's own actions), never by an open sign-up endpoint.
const CLOSED = [/\/sign-up\//, /\/update-user$/, /\/change-email$/, /\/delete-user/];

async function forward(request: Request): Promise<Response> {
  const { pathname: path } = new URL(request.url);
  if (CLOSED.some((p) => p.test(path))) {
    return NextResponse.json({ error: { code: 'not_found', message: 'not available' } }, { status: 404 });
  }
  // Browsers send Origin with every cross-site POST: none from elsewhere may
  // sign in or out (the library itself checks only requests that carry a cookie).
  if (request.method === 'POST') ensureSameOrigin(request, { allowMissing: true });
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_IP_HEADER);
  const ip = requestIp(request.headers);
  if (ip) headers.set(CLIENT_IP_HEADER, ip);
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    init.body = await request.arrayBuffer();
  }
  // As the browser addressed us (Next's own request.url names its bind address):
  // OAuth callbacks must come back to the host the session cookie is for.
  const { pathname, search } = new URL(request.url);
  const { dashboardUrl } = publicUrls(webContext().env, request);
  // Wrong passwords, like wrong API tokens: slowed after a few, then refused.
  const passwordSignIn = request.method === 'POST' && pathname.endsWith('/sign-in/email');
  if (passwordSignIn) ensureNotThrottled(ip, 'password');
  const response = await (await authEndpoints()).handler(new Request(`${dashboardUrl}${pathname}${search}`, init));
  if (passwordSignIn && response.status === 401) await noteFailure(ip, 'password');
  return response;
}

export const GET = handler(forward);
export const POST = handler(forward);

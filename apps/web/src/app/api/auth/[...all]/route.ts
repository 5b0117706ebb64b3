import { NextResponse } from 'next/server';
import { auth, CLIENT_IP_HEADER } from '@/server/better-auth';
import { ensureSameOrigin, requestIp } from '@/server/caller';
import { handler } from '@/server/http';

export const dynamic = 'force-dynamic';

// Accounts are made only by the first-owner setup and by invitations (the
// dashboard's own actions), never by an open sign-up endpoint.
const CLOSED = [/\/sign-up\//, /\/update-user$/, /\/change-email$/, /\/delete-user/];

async function forward(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (CLOSED.some((p) => p.test(pathname))) {
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
  return auth().handler(new Request(request.url, init));
}

export const GET = handler(forward);
export const POST = handler(forward);

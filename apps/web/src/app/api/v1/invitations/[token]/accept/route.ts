import { AppError, acceptInvitation } from '@paas/core';
import { NextResponse } from 'next/server';
import { ensureNotThrottled } from '@/server/auth-throttle';
import { requestIp, sessionUser } from '@/server/caller';
import { signUpThen } from '@/server/first-owner';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

const clock = () => ({ db: webContext().db, now: () => new Date() });

/**
 * Accepts an invitation link: signed in, as that user; otherwise `{email,
 * name?, password}` makes the account. Then sign in as usual.
 */
export const POST = handler(async (request: Request, { params }: { params: Promise<{ token: string }> }) => {
  const { token } = await params;
  const ip = requestIp(request.headers);
  ensureNotThrottled(ip);
  const signedIn = await sessionUser(request.headers);
  if (signedIn) {
    const joined = await acceptInvitation(clock(), signedIn, token, ip);
    return NextResponse.json({ user: signedIn, team: joined.team.slug, role: joined.role });
  }
  const body = (await readJson(request)) as { email?: unknown; name?: unknown; password?: unknown } | null;
  if (!body || typeof body !== 'object') throw new AppError('validation_failed', 'send {email, name?, password}');
  const account = { email: String(body.email ?? ''), name: String(body.name ?? ''), password: String(body.password ?? '') };
  const { user, result } = await signUpThen(account, request.headers, (u) => acceptInvitation(clock(), u, token, ip));
  return NextResponse.json({ user, team: result.team.slug, role: result.role }, { status: 201 });
});

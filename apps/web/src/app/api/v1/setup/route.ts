import { AppError, createApiToken } from '@paas/core';
import { NextResponse } from 'next/server';
import { isAdminToken } from '@/server/admin-token';
import { ensureNotThrottled, noteFailure } from '@/server/auth-throttle';
import { callerFromUser, requestIp } from '@/server/caller';
import { setUpFirstOwner } from '@/server/first-owner';
import { handler, readJson, webContext } from '@/server/http';

export const dynamic = 'force-dynamic';

/**
 * Scripted first start: with the admin token from the environment, makes the
 * first user (the owner) and answers with an API token for them. Once anyone
 * exists, 409: the admin token does nothing else.
 */
export const POST = handler(async (request: Request) => {
  const ip = requestIp(request.headers);
  ensureNotThrottled(ip);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!bearer || !isAdminToken(bearer)) {
    await noteFailure(ip);
    throw new AppError('unauthorized', 'send the admin token: Authorization: Bearer <PAAS_ADMIN_TOKEN>');
  }
  const body = (await readJson(request)) as { email?: unknown; name?: unknown; password?: unknown };
  const account = { email: String(body?.email ?? ''), name: String(body?.name ?? ''), password: String(body?.password ?? '') };
  const { user } = await setUpFirstOwner(account, request.headers, ip);
  // Signing up opens a session; a script has no browser to keep it in.
  await webContext().db.session.deleteMany({ where: { userId: user.id } });
  const caller = await callerFromUser(user, null, ip);
  const token = await createApiToken({ db: webContext().db, now: () => new Date() }, caller, { name: 'setup' });
  return NextResponse.json({ user: { id: user.id, email: user.email }, team: caller.teamSlug, token }, { status: 201 });
});

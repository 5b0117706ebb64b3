import 'server-only';
import {
  AppError,
  authenticateApiToken,
  authorize,
  type Caller,
  callerForUser,
  DEFAULT_TEAM_SLUG,
  ensureSameTeam,
  type Permission,
} from '@paas/core';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { isAdminToken } from './admin-token';
import { ensureNotThrottled, noteFailure } from './auth-throttle';
import { auth } from './better-auth';
import { clientIp } from './client-ip';
import { webContext } from './context';

// Who is calling, for every request: an API token (Authorization: Bearer) or
// the dashboard's session cookie. Each one acts on one team: a token on its
// own, a browser on the one it picked (a cookie; a header for scripts).
export const TEAM_COOKIE = 'paas_team';
export const TEAM_HEADER = 'x-paas-team';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function trustedProxies(): string[] {
  return webContext().env.PAAS_TRUSTED_PROXIES;
}

export function requestIp(h: Headers): string | null {
  return clientIp(h, trustedProxies());
}

async function tokenCaller(token: string, ip: string | null): Promise<Caller> {
  ensureNotThrottled(ip);
  if (isAdminToken(token)) {
    throw new AppError(
      'unauthorized',
      'the admin token only sets up the first user (POST /api/v1/setup); use an API token made in the dashboard',
    );
  }
  try {
    return await authenticateApiToken({ db: webContext().db, now: () => new Date() }, token, ip);
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthorized') await noteFailure(ip);
    throw error;
  }
}

/**
 * The signed-in user of the page being rendered: looked up once per request,
 * however many of the layout and page components ask.
 */
export const pageSessionUser = cache(async () => sessionUser(await headers()));

/** The signed-in user of a request's session cookie, or null. */
export async function sessionUser(h: Headers): Promise<{ id: string; email: string; name: string } | null> {
  const session = await auth().api.getSession({ headers: h });
  return session ? { id: session.user.id, email: session.user.email, name: session.user.name } : null;
}

function teamFromCookieHeader(h: Headers): string | null {
  const raw = h
    .get('cookie')
    ?.split(';')
    .map((p) => p.trim())
    .find((p) => p.startsWith(`${TEAM_COOKIE}=`));
  return raw ? decodeURIComponent(raw.slice(TEAM_COOKIE.length + 1)) : null;
}

/**
 * A cookie-authenticated change must come from the dashboard's own pages: a
 * page elsewhere can make the browser send the cookie, not this Origin.
 */
export function ensureSameOrigin(request: Request, opts: { allowMissing?: boolean } = {}): void {
  const origin = request.headers.get('origin');
  if (!origin && opts.allowMissing) return;
  const own = new URL(request.url).origin;
  const host = request.headers.get('host');
  const publicUrl = webContext().env.PAAS_PUBLIC_URL;
  const allowed = [own, host ? `http://${host}` : '', host ? `https://${host}` : '', publicUrl ? new URL(publicUrl).origin : ''];
  if (!origin || !allowed.includes(origin)) {
    throw new AppError('forbidden', 'cross-site request refused: changes need an API token or the dashboard itself');
  }
}

/** The caller of a REST API request, or 401. */
export async function apiCaller(request: Request): Promise<Caller> {
  const ip = requestIp(request.headers);
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthorized', 'Authorization must be "Bearer <API token>"');
    return tokenCaller(match[1], ip);
  }
  const user = await sessionUser(request.headers);
  if (!user) throw new AppError('unauthorized', 'sign in, or send an API token (Authorization: Bearer <token>)');
  if (!SAFE_METHODS.has(request.method)) ensureSameOrigin(request);
  const teamSlug = request.headers.get(TEAM_HEADER) ?? teamFromCookieHeader(request.headers);
  return callerForUser(webContext(), user, { teamSlug, ip });
}

/**
 * The one check every REST call and dashboard change goes through: who is
 * calling, may their role do this, and is the app theirs (another team's app
 * answers 404, exactly as a missing one).
 */
export async function ensureAppOfTeam(caller: Caller, appName: string): Promise<void> {
  const app = await webContext().db.app.findUnique({ where: { name: appName }, select: { teamId: true } });
  ensureSameTeam(caller, app, 'app', appName);
}

export async function guard(request: Request, permission: Permission, appName?: string): Promise<Caller> {
  const caller = await apiCaller(request);
  if (appName !== undefined) await ensureAppOfTeam(caller, appName);
  authorize(caller, permission);
  return caller;
}

/** What the whole install shares (the GitHub App) is managed from the platform's own team. */
export function authorizePlatform(caller: Caller, permission: Permission): void {
  authorize(caller, permission);
  if (caller.teamSlug !== DEFAULT_TEAM_SLUG) {
    throw new AppError('forbidden', "this is managed by the admins of the platform's own team");
  }
}

/** Dashboard pages: the signed-in caller, else to the sign-in page. */
export async function pageCaller(): Promise<Caller> {
  const h = await headers();
  const user = await pageSessionUser();
  if (!user) redirect('/login');
  const jar = await cookies();
  try {
    return await callerForUser(webContext(), user, { teamSlug: jar.get(TEAM_COOKIE)?.value ?? null, ip: requestIp(h) });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') redirect('/account');
    throw error;
  }
}

/** Dashboard changes (server actions): the same check as the REST API. */
export async function actionGuard(permission: Permission, appName?: string): Promise<Caller> {
  const caller = await pageCaller();
  if (appName !== undefined) await ensureAppOfTeam(caller, appName);
  authorize(caller, permission);
  return caller;
}

/** A dashboard page of one app: the caller, or the 404 page for another team's (or no) app. */
export async function pageAppCaller(appName: string): Promise<Caller> {
  const caller = await pageCaller();
  try {
    await ensureAppOfTeam(caller, appName);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
  return caller;
}

/** Pages about the person (account, tokens, teams): the signed-in user, else to the sign-in page. */
export async function pageUser(): Promise<{ id: string; email: string; name: string }> {
  const user = await pageSessionUser();
  if (!user) redirect('/login');
  return user;
}

/** A user acting on one of their teams (the first, unless one is named). */
export function callerFromUser(user: { id: string; email: string }, teamSlug: string | null, ip: string | null) {
  return callerForUser(webContext(), user, { teamSlug, ip });
}

/** git over HTTPS: an API token as the password (any user name), or as a Bearer token. */
export async function gitCaller(request: Request): Promise<Caller> {
  const header = request.headers.get('authorization') ?? '';
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header)?.[1];
  const token = basic
    ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':')
    : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) throw new AppError('unauthorized', 'git needs an API token as its password');
  return tokenCaller(token, requestIp(request.headers));
}

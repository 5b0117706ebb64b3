import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor, AppError } from '@paas/core';
import { webContext } from './context';

// Until users and teams land there is one admin token (PAAS_ADMIN_TOKEN). The
// API takes it as a Bearer token; the dashboard keeps an HMAC of it in an
// httpOnly cookie, so the token itself never sits in the browser.
export const SESSION_COOKIE = 'paas_session';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isAdminToken(candidate: string): boolean {
  return safeEqual(candidate, webContext().env.PAAS_ADMIN_TOKEN);
}

/** Every API call: `Authorization: Bearer <token>`. */
export function requireApiToken(request: Request): Actor {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer <PAAS_ADMIN_TOKEN>)');
  if (!isAdminToken(match[1].trim())) throw new AppError('unauthorized', 'invalid token');
  return { type: 'admin' };
}

/**
 * Reads (the log streams) also accept the dashboard's session cookie, so the
 * browser can follow a log. Changes never do: they come through the bearer
 * token or the dashboard's server actions (which check their origin).
 */
export function requireReader(request: Request): Actor {
  if (request.headers.get('authorization')) return requireApiToken(request);
  const cookie = request.headers
    .get('cookie')
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  if (cookie && isValidSession(decodeURIComponent(cookie))) return { type: 'admin' };
  throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer <PAAS_ADMIN_TOKEN>)');
}

export function sessionValue(): string {
  const { env } = webContext();
  return createHmac('sha256', env.PAAS_SECRET_KEY).update(`session:${env.PAAS_ADMIN_TOKEN}`).digest('base64url');
}

export function isValidSession(cookie: string | undefined): boolean {
  return !!cookie && safeEqual(cookie, sessionValue());
}

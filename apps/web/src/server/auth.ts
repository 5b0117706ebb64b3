import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@paas/core';
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

export function requireApiToken(request: Request): { type: 'admin' } {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer <PAAS_ADMIN_TOKEN>)');
  if (!isAdminToken(match[1].trim())) throw new AppError('unauthorized', 'invalid token');
  return { type: 'admin' };
}

export function sessionValue(): string {
  const { env } = webContext();
  return createHmac('sha256', env.PAAS_SECRET_KEY).update(`session:${env.PAAS_ADMIN_TOKEN}`).digest('base64url');
}

export function isValidSession(cookie: string | undefined): boolean {
  return !!cookie && safeEqual(cookie, sessionValue());
}

import 'server-only';
import { EnvError } from '@paas/config';
import { AppError, HTTP_STATUS, isAppError, isRetryableError } from '@paas/core';
import { NextResponse } from 'next/server';
import { webContext } from './context';

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: HTTP_STATUS[error.code] },
    );
  }
  if (isRetryableError(error)) {
    // The database is busy or away for a moment: nothing was written, asking again will work.
    console.error(error);
    return NextResponse.json(
      { error: { code: 'unavailable', message: 'the platform is busy or its database is unreachable; try again shortly' } },
      { status: 503, headers: { 'retry-after': '2' } },
    );
  }
  if (error instanceof EnvError) {
    console.error(error.message);
    return NextResponse.json({ error: { code: 'internal', message: 'the server is misconfigured' } }, { status: 500 });
  }
  console.error(error);
  return NextResponse.json({ error: { code: 'internal', message: 'internal error' } }, { status: 500 });
}

/** Wraps a route handler: every thrown error becomes a coded JSON response. */
export function handler<A extends unknown[]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The request body as JSON; `emptyAs` is what an empty body means (else it is malformed). */
export async function readJson(request: Request, opts: { emptyAs?: unknown } = {}): Promise<unknown> {
  const text = await request.text();
  if (opts.emptyAs !== undefined && text.trim() === '') return opts.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed_request', 'request body is not valid JSON');
  }
}

export { requireApiToken, requireReader } from './auth';
export { webContext };

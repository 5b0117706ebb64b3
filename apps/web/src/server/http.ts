import 'server-only';
import { EnvError } from '@paas/config';
import { AppError, type ErrorCode, isAppError, isRetryableError } from '@paas/core';
import { NextResponse } from 'next/server';
import { webContext } from './context';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  malformed_request: 400,
  payload_too_large: 413,
  unauthorized: 401,
  bad_signature: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  build_failed: 422,
  build_timeout: 504,
  step_timeout: 504,
  canceled: 409,
  superseded: 409,
  health_check_failed: 502,
  health_check_timeout: 504,
  cloud_throttled: 503,
  cloud_unavailable: 503,
  cloud_failed: 502,
  internal: 500,
};

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: STATUS[error.code] },
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

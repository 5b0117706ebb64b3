import 'server-only';
import { EnvError } from '@paas/config';
import { AppError, HTTP_STATUS, isAppError, isRetryableError } from '@paas/core';
import { NextResponse } from 'next/server';
import { webContext } from './context';

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const retryAfter = error.code === 'rate_limited' ? error.details?.retryAfter : undefined;
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: HTTP_STATUS[error.code], ...(retryAfter ? { headers: { 'retry-after': String(retryAfter) } } : {}) },
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
// No request the API takes comes near this; a larger body is refused before it is read.
export const MAX_JSON_BYTES = 1024 * 1024;

async function readCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = () => new AppError('payload_too_large', `request body is larger than ${limit / 1024} KiB`);
  if (declared > limit) throw tooLarge();
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(request: Request, opts: { emptyAs?: unknown } = {}): Promise<unknown> {
  const text = await readCapped(request, MAX_JSON_BYTES);
  if (opts.emptyAs !== undefined && text.trim() === '') return opts.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed_request', 'request body is not valid JSON');
  }
}

export { webContext };

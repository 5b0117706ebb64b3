import 'server-only';
import { AppError } from '@paas/core';

/**
 * The request body, refused as soon as it passes `maxBytes` while it streams,
 * whatever Content-Length says (or if it says nothing): an oversized body never
 * sits in memory whole.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  const tooLarge = () => new AppError('payload_too_large', `the body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

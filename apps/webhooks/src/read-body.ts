import type { IncomingMessage } from 'node:http';
import { AppError } from '@paas/core';

/**
 * The request body, refused as soon as it passes `maxBytes` while it streams,
 * whatever Content-Length says (or if it says nothing): an oversized body never
 * sits in memory whole. The caller answers 413 and closes the connection.
 */
export function readBodyLimited(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError('payload_too_large', `the body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', reject);
  });
}

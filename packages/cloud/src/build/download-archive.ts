import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// A repository's tarball larger than this is not source code a build should take.
const MAX_BYTES = 2 * 1024 ** 3;

/** Why a tarball could not be downloaded; `retryable` when GitHub was away or busy. (No @paas/core here: the instance agent bundles this.) */
export class ArchiveDownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ArchiveDownloadError';
  }
}

/**
 * Downloads a source tarball to `path` (mode 0600) with the given
 * Authorization header. GitHub answers with a redirect to its download host,
 * whose URL carries its own short-lived grant: that request goes without the
 * header, whatever host it is on. The header is never logged.
 */
export async function downloadArchive(url: string, authorization: string, path: string): Promise<void> {
  const signal = AbortSignal.timeout(10 * 60_000);
  const headers = { accept: 'application/vnd.github+json', 'user-agent': 'paas-platform' };
  let res = await fetch(url, { headers: { ...headers, authorization }, redirect: 'manual', signal });
  for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.get('location'); hops++) {
    if (hops === 5) throw new ArchiveDownloadError('the source tarball redirects too often', false);
    await res.body?.cancel();
    res = await fetch(new URL(res.headers.get('location') as string, res.url || url), { headers, redirect: 'manual', signal });
  }
  if (!res.ok || !res.body) {
    throw new ArchiveDownloadError(
      `the source tarball could not be downloaded (GitHub answered ${res.status})`,
      res.status >= 500 || res.status === 429,
    );
  }
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES)
    throw new ArchiveDownloadError('the source tarball is over 2 GB', false);
  let size = 0;
  const limited = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BYTES) limited.destroy(new ArchiveDownloadError('the source tarball is over 2 GB', false));
  });
  try {
    await pipeline(limited, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

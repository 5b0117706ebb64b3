// The platform's static file server: `node static-server.mjs <root>` serves
// the files under <root> on $PORT. Plain JavaScript with no dependencies: the
// build copies this one file into the image (.paas/static-server.mjs), and
// node is all a machine needs to run it.
//
// - GET and HEAD; a directory answers its index.html (no listings), `/about`
//   also finds about.html; a missing file answers 404.html when there is one.
// - Nothing outside <root> is reachable: no `..`, no symlinks that lead out,
//   no dotfiles (except .well-known).
// - ETag and Last-Modified with conditional requests, and `Cache-Control:
//   no-cache`: browsers keep files but ask again (a 304 is cheap), so a deploy
//   is never hidden by a stale cache.
// - SIGTERM/SIGINT: stop accepting, finish the requests in flight, exit.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.zip': 'application/zip',
};
const GRACE_MS = 10_000;

const root = await realpath(resolve(process.argv[2] ?? '.'));
const port = Number(process.env.PORT || 8080);

/** The file a URL path names under root, or null when it names nothing servable. */
async function find(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || (s.startsWith('.') && s !== '.well-known'))) return null;
  const candidates = [join(root, ...segments)];
  if (segments.length > 0 && extname(path) === '' && !path.endsWith('/')) candidates.push(`${candidates[0]}.html`);
  for (const candidate of candidates) {
    const found = await inside(candidate);
    if (found === null) continue;
    if (found.stats.isFile()) return found;
    // A directory: its index.html, at a URL ending in / so that the page's relative links work.
    if (!path.endsWith('/')) return { redirect: `/${segments.map(encodeURIComponent).join('/')}/` };
    const index = await inside(join(found.path, 'index.html'));
    return index?.stats.isFile() ? index : null;
  }
  return null;
}

/** The file's real path and stats, only when it really is under root (symlinks resolved). */
async function inside(path) {
  try {
    const real = await realpath(path);
    if (real !== root && !real.startsWith(root + sep)) return null;
    const stats = await stat(real);
    return stats.isFile() || stats.isDirectory() ? { path: real, stats } : null;
  } catch {
    return null;
  }
}

function send(req, res, status, file, extraHeaders = {}) {
  const { path, stats } = file;
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  res.setHeader('Content-Type', type);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', stats.mtime.toUTCString());
  res.setHeader('Cache-Control', 'no-cache');
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  if (status === 200 && notModified(req, etag, stats.mtime)) {
    res.statusCode = 304;
    return res.end();
  }
  res.statusCode = status;
  res.setHeader('Content-Length', stats.size);
  if (req.method === 'HEAD') return res.end();
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function notModified(req, etag, mtime) {
  const match = req.headers['if-none-match'];
  if (match !== undefined) return match.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) <= Math.floor(since / 1000);
}

function plain(req, res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(req.method === 'HEAD' ? undefined : text);
}

async function handle(req, res) {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(req, res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
  const urlPath = (req.url ?? '/').split('?')[0];
  if (!urlPath.startsWith('/')) return plain(req, res, 400, 'Bad Request\n');
  const found = await find(urlPath);
  if (found?.redirect) {
    const query = (req.url ?? '').slice(urlPath.length);
    return plain(req, res, 301, 'Moved Permanently\n', { Location: found.redirect + query });
  }
  if (found) return send(req, res, 200, found);
  const page = await inside(join(root, '404.html'));
  if (page?.stats.isFile()) return send(req, res, 404, page);
  return plain(req, res, 404, 'Not Found\n');
}

let stopping = false;

const server = createServer((req, res) => {
  const started = Date.now();
  res.on('finish', () => {
    console.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
    // A keep-alive connection that was busy when the stop began is idle now: end it, so close() can finish.
    if (stopping) setImmediate(() => server.closeIdleConnections());
  });
  if (stopping) res.setHeader('Connection', 'close');
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) plain(req, res, 500, 'Internal Server Error\n');
    else res.destroy();
  });
});

function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then exiting`);
  // close() stops accepting and ends idle keep-alive connections; busy ones end after their response.
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), GRACE_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server.listen(port, () => console.log(`serving ${root} on port ${port}`));

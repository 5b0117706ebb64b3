import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATIC_SERVER_SOURCE } from '../src/generated/static-server-source';

const serverFile = fileURLToPath(new URL('../src/static-server.mjs', import.meta.url));

/** One raw HTTP/1.1 exchange, so paths reach the server exactly as written (no client-side normalising). */
function raw(port: number, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const get = (port: number, path: string, method = 'GET', extra = '') =>
  raw(port, `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`);

async function start(root: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [serverFile, root], { env: { PORT: String(port), PATH: process.env.PATH ?? '' } });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const check = () => (output.includes('serving ') ? resolve() : setTimeout(check, 20));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    check();
  });
  return { child, port, output: () => output };
}

describe('the static file server', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paas-static-'));
    const site = join(dir, 'site');
    await mkdir(join(site, 'docs'), { recursive: true });
    await mkdir(join(site, '.well-known'), { recursive: true });
    await mkdir(join(site, 'empty'), { recursive: true });
    await writeFile(join(site, 'index.html'), '<h1>home</h1>');
    await writeFile(join(site, 'about.html'), '<h1>about</h1>');
    await writeFile(join(site, 'docs', 'index.html'), '<h1>docs</h1>');
    await writeFile(join(site, 'style.css'), 'body{}');
    await writeFile(join(site, 'app.js'), 'x()');
    await writeFile(join(site, 'logo.svg'), '<svg/>');
    await writeFile(join(site, 'data.bin'), 'bytes');
    await writeFile(join(site, '404.html'), '<h1>lost</h1>');
    await writeFile(join(site, '.env'), 'SECRET=1');
    await writeFile(join(site, '.well-known', 'security.txt'), 'Contact: x');
    await writeFile(join(dir, 'outside.txt'), 'private');
    await symlink(join(dir, 'outside.txt'), join(site, 'leak.txt'));
    await symlink(join(site, 'style.css'), join(site, 'alias.css'));
    server = await start(site);
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('is the source the build script embeds (run `npm run embed -w @paas/buildpacks` after changing it)', async () => {
    expect(STATIC_SERVER_SOURCE).toBe(await readFile(serverFile, 'utf8'));
  });

  it.each([
    ['/', 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/index.html', 'text/html; charset=utf-8', '<h1>home</h1>'],
    ['/docs/', 'text/html; charset=utf-8', '<h1>docs</h1>'],
    ['/about', 'text/html; charset=utf-8', '<h1>about</h1>'],
    ['/style.css', 'text/css; charset=utf-8', 'body{}'],
    ['/app.js?v=3', 'text/javascript; charset=utf-8', 'x()'],
    ['/logo.svg', 'image/svg+xml', '<svg/>'],
    ['/data.bin', 'application/octet-stream', 'bytes'],
    ['/alias.css', 'text/css; charset=utf-8', 'body{}'],
    ['/.well-known/security.txt', 'text/plain; charset=utf-8', 'Contact: x'],
  ])('serves %s with its content type', async (path, type, body) => {
    const res = await get(server.port, path);
    expect(res).toMatchObject({ status: 200, body });
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['content-length']).toBe(String(body.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('redirects a directory without its slash, and lists no directory', async () => {
    const res = await get(server.port, '/docs?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/docs/?x=1');
    expect(await get(server.port, '//docs')).toMatchObject({ status: 301, headers: { location: '/docs/' } });
    expect(await get(server.port, '/empty/')).toMatchObject({ status: 404, body: '<h1>lost</h1>' });
  });

  it('answers 404.html for what is not there', async () => {
    const res = await get(server.port, '/nope.png');
    expect(res).toMatchObject({ status: 404, body: '<h1>lost</h1>' });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it.each([
    '/../outside.txt',
    '/docs/../../outside.txt',
    '/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/docs/%2e%2e%2f%2e%2e%2foutside.txt',
    '/..%5coutside.txt',
    '/leak.txt',
    '/.env',
    '/%2eenv',
    '/index.html%00.css',
    '/%E0%A4%A',
  ])('refuses to reach outside the root or into dotfiles: %s', async (path) => {
    const res = await get(server.port, path);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('private');
    expect(res.body).not.toContain('SECRET');
  });

  it('refuses requests that are not a path', async () => {
    expect((await get(server.port, 'http://x/index.html')).status).toBe(400);
  });

  it('answers HEAD with the headers of GET and no body, and refuses other methods', async () => {
    const head = await get(server.port, '/style.css', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('6');
    expect(head.headers['content-type']).toBe('text/css; charset=utf-8');
    const post = await get(server.port, '/style.css', 'POST', 'Content-Length: 0\r\n');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers 304 to a request that has the current ETag or a later Last-Modified', async () => {
    const first = await get(server.port, '/style.css');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(await get(server.port, '/style.css', 'GET', `If-None-Match: ${etag}\r\n`)).toMatchObject({ status: 304, body: '' });
    expect((await get(server.port, '/style.css', 'GET', 'If-None-Match: W/"other"\r\n')).status).toBe(200);
    const since = `If-Modified-Since: ${first.headers['last-modified']}\r\n`;
    expect((await get(server.port, '/style.css', 'GET', since)).status).toBe(304);
    expect((await get(server.port, '/style.css', 'GET', 'If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n')).status).toBe(
      200,
    );
  });

  it('on SIGTERM stops accepting, finishes the response in flight, and exits 0', { timeout: 20_000 }, async () => {
    const site = join(dir, 'big');
    await mkdir(site);
    const size = 32 * 1024 * 1024;
    await writeFile(join(site, 'big.bin'), Buffer.alloc(size, 1));
    const own = await start(site);
    let duringStop: Promise<string> = Promise.resolve('not tried');
    // Read the big file slowly: the response is still in flight when the signal comes.
    const received = new Promise<number>((resolve, reject) => {
      const socket = connect(own.port, '127.0.0.1', () => socket.write('GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n'));
      let bytes = 0;
      let signalled = false;
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= 1024 * 1024 && !signalled) {
          signalled = true;
          socket.pause();
          own.child.kill('SIGTERM');
          // While the response is still in flight, the server already refuses new connections.
          setTimeout(() => {
            duringStop = get(own.port, '/').then(
              (res) => `answered ${res.status}`,
              (error: Error) => error.message,
            );
          }, 150);
          setTimeout(() => socket.resume(), 400);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(bytes));
    });
    const exited = new Promise<number | null>((resolve) => own.child.once('exit', resolve));
    const bytes = await received;
    expect(bytes).toBeGreaterThan(size);
    expect(await exited).toBe(0);
    expect(await duringStop).toMatch(/ECONNREFUSED/);
    expect(own.output()).toContain('SIGTERM: finishing requests in flight');
  });
});

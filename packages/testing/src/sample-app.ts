import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export interface SampleAppOptions {
  /** What `/` answers. */
  text: string;
  /** Extra scripts for package.json, e.g. `{ build: 'exit 1' }` to make a build fail. */
  scripts?: Record<string, string>;
  /** Extra files, e.g. a Procfile. */
  files?: Record<string, string>;
}

// No dependencies, so `npm ci` runs offline in about a second. Besides `/`:
//   GET  /__env/NAME  the process's env var NAME (404 when unset)
//   GET  /__headers   the request headers as JSON
//   POST /__echo      streams the request body back
//   GET  /__crash     answers, then exits with status 1 (a crash, provider-agnostic)
//   GET  /__status/N  answers with status N (a failing health check)
//   GET  /__slow/MS   answers `slow <text>` after MS milliseconds (a long request)
//   GET  /__log/TEXT  writes TEXT (URL-decoded) as a line to stdout
//   GET  /__read?path=P  the file at P, or the error reading it (isolation tests)
//   Upgrade           answers 101 and echoes raw bytes (enough to test a proxy's upgrade path)
const SERVER_JS = `const http = require('node:http');
const text = __SAMPLE_TEXT__;
const server = http.createServer((req, res) => {
  if (req.url === '/') return res.end(text);
  if (req.url.startsWith('/__env/')) {
    const value = process.env[req.url.slice('/__env/'.length)];
    res.statusCode = value === undefined ? 404 : 200;
    return res.end(value ?? '');
  }
  if (req.url === '/__headers') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(req.headers));
  }
  if (req.url === '/__echo' && req.method === 'POST') return req.pipe(res);
  if (req.url.startsWith('/__log/')) {
    console.log(decodeURIComponent(req.url.slice('/__log/'.length)));
    return res.end('logged');
  }
  if (req.url.startsWith('/__read?')) {
    const path = new URL(req.url, 'http://x').searchParams.get('path');
    try {
      return res.end(require('node:fs').readFileSync(path));
    } catch (error) {
      res.statusCode = 403;
      return res.end(String(error.code));
    }
  }
  if (req.url.startsWith('/__status/')) {
    res.statusCode = Number(req.url.slice('/__status/'.length)) || 500;
    return res.end('status ' + res.statusCode);
  }
  if (req.url.startsWith('/__slow/')) {
    return setTimeout(() => res.end('slow ' + text), Number(req.url.slice('/__slow/'.length)) || 0);
  }
  if (req.url === '/__crash') {
    res.end('crashing');
    return setTimeout(() => process.exit(1), 20);
  }
  res.statusCode = 404;
  res.end('not found');
});
server.on('upgrade', (req, socket) => {
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nupgrade: websocket\\r\\nconnection: upgrade\\r\\n\\r\\n');
  socket.pipe(socket);
});
server.listen(Number(process.env.PORT || 3000), () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;

/** Files of a tiny Node HTTP app whose `/` answers `text`. */
export function sampleAppFiles(options: SampleAppOptions): Record<string, string> {
  const pkg = {
    name: 'sample-app',
    version: '1.0.0',
    private: true,
    scripts: { start: 'node server.js', ...options.scripts },
    dependencies: {},
  };
  const lock = {
    name: 'sample-app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'sample-app', version: '1.0.0' } },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
    'server.js': SERVER_JS.replace('__SAMPLE_TEXT__', () => JSON.stringify(options.text)),
    ...options.files,
  };
}

/**
 * The sample app with one dependency from a local directory
 * (`file:vendor/greet`, whose export says its version), its lockfile made by
 * npm offline: an app whose `npm ci` installs something, on a machine that
 * reaches no registry.
 */
export async function sampleAppWithDependencyFiles(
  options: SampleAppOptions & { greetVersion: string },
): Promise<Record<string, string>> {
  const { greetVersion, ...app } = options;
  const files = sampleAppFiles(app);
  const pkg = JSON.parse(files['package.json'] as string);
  pkg.dependencies = { greet: 'file:vendor/greet' };
  const greet = {
    'vendor/greet/package.json': JSON.stringify({ name: 'greet', version: greetVersion, main: 'index.js' }),
    'vendor/greet/index.js': `module.exports = (name) => 'hello ' + name + ' from greet ${greetVersion}';\n`,
  };
  const dir = await mkdtemp(join(tmpdir(), 'paas-lock-'));
  try {
    for (const [name, contents] of Object.entries({ ...greet, 'package.json': JSON.stringify(pkg, null, 2) })) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), contents);
    }
    await promisify(execFile)(
      'npm',
      ['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: dir,
      },
    );
    return {
      ...files,
      ...greet,
      'package.json': JSON.stringify(pkg, null, 2),
      'package-lock.json': await readFile(join(dir, 'package-lock.json'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { promisify } from 'node:util';
import {
  createBareRepo,
  createTestDatabase,
  dropRedisPrefix,
  freePort,
  REPO_ROOT,
  sampleAppFiles,
  type TestDatabase,
  waitUntil,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);

// The one-server install as a team runs it (deploy/server/install.sh), on
// this machine: the units it writes run (under its supervisor, as systemd is
// not running here), Caddy gets the dashboard's certificate from a local ACME
// server (pebble, which really validates the challenges against Caddy, its
// DNS answered by pebble's test DNS server) and an app host's on its first
// request. The platform first installed is the previous commit's, by its
// own installer; this checkout's installer then upgrades it, schema
// migrations included, while a deploy is in flight and traffic flows.
// Everything goes under a prefix with users, ports, a database schema and a
// Redis prefix of its own, so a platform installed on this machine is not
// touched.

interface HttpsAnswer {
  status: number;
  body: string;
  issuer: string;
}

/** GET over TLS to 127.0.0.1:port with SNI `host`, trusting only `ca`. */
function httpsGet(
  port: number,
  host: string,
  path: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: host,
        ca,
        method: init.method ?? 'GET',
        headers: { host, ...init.headers },
        timeout: 15_000,
      },
      (res) => {
        const cert =
          res.socket && 'getPeerCertificate' in res.socket
            ? (res.socket as { getPeerCertificate(): PeerCertificate }).getPeerCertificate()
            : null;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, issuer: String(cert?.issuer?.CN ?? '') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('one-server install', () => {
  const id = randomBytes(3).toString('hex');
  const user = `paas-it-${id}`;
  const proxyUser = `paas-itp-${id}`;
  const domain = `it-${id}.test`;
  const dashboardHost = `paas.${domain}`;
  let prefix: string;
  let database: TestDatabase;
  const redisPrefix = `paas-install-${id}`;
  const ports = {
    acme: 0,
    acmeManagement: 0,
    dns: 0,
    dnsManagement: 0,
    http: 0,
    https: 0,
    admin: 0,
    web: 0,
    webhook: 0,
    router: 0,
  };
  const helpers: ChildProcess[] = [];
  let pebbleRoot: string;
  let ownerToken: string;

  /** Runs the installer of `source` (a checkout) with this test's options. */
  const install = async (source = REPO_ROOT) => {
    const args = [
      '--domain',
      domain,
      '--email',
      'ops@example.test',
      '--acme-ca',
      `https://127.0.0.1:${ports.acme}/dir`,
      '--acme-ca-root',
      join(prefix, 'pebble/cert.pem'),
      '--database-url',
      database.url,
      '--database-schema',
      database.schema,
      '--redis-url',
      process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      '--redis-prefix',
      redisPrefix,
      '--user',
      user,
      '--proxy-user',
      proxyUser,
      '--prefix',
      join(prefix, 'root'),
      '--http-port',
      String(ports.http),
      '--https-port',
      String(ports.https),
      '--admin-port',
      String(ports.admin),
      '--web-port',
      String(ports.web),
      '--webhook-port',
      String(ports.webhook),
      '--router-port',
      String(ports.router),
      '--no-packages',
    ];
    const child = spawn(join(source, 'deploy/server/install.sh'), args, {
      env: { ...process.env, PAAS_WEB_DIST_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) {
      const logs = await readdir(root('var/log/paas')).catch(() => [] as string[]);
      const tails = await Promise.all(
        logs.map(async (f) => `--- ${f}\n${(await readFile(root(`var/log/paas/${f}`), 'utf8')).slice(-1500)}`),
      );
      throw new Error(`install.sh exited with ${code}:\n${output.slice(-3000)}\n${tails.join('\n')}`);
    }
    return output;
  };
  const root = (path: string) => join(prefix, 'root', path);

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('the install test runs the installer, which needs root: run the tests as root (CI does)');
    for (const bin of ['caddy', 'pebble', 'pebble-challtestsrv', 'openssl'])
      if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)
        throw new Error(`${bin} is missing: apt-get install caddy pebble openssl (npm test installs them)`);
    prefix = await mkdtemp(join(tmpdir(), 'paas-install-'));
    // As / is: the platform's and the proxy's users pass through to their files.
    await chmod(prefix, 0o755);
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    database = await createTestDatabase();

    // Pebble's own HTTPS certificate (its ACME endpoint), which Caddy is told to trust.
    await exec('mkdir', ['-p', join(prefix, 'pebble')]);
    await exec('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(prefix, 'pebble/key.pem'),
      '-out',
      join(prefix, 'pebble/cert.pem'),
    ]);
    await writeFile(
      join(prefix, 'pebble/config.json'),
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${ports.acme}`,
          managementListenAddress: `127.0.0.1:${ports.acmeManagement}`,
          certificate: join(prefix, 'pebble/cert.pem'),
          privateKey: join(prefix, 'pebble/key.pem'),
          // Where pebble connects to validate: Caddy's ports.
          httpPort: ports.http,
          tlsPort: ports.https,
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    const dns = spawn(
      'pebble-challtestsrv',
      [
        '-defaultIPv4',
        '127.0.0.1',
        '-defaultIPv6',
        '',
        '-dns01',
        `127.0.0.1:${ports.dns}`,
        '-management',
        `127.0.0.1:${ports.dnsManagement}`,
        '-http01',
        '',
        '-https01',
        '',
        '-tlsalpn01',
        '',
      ],
      { stdio: 'ignore' },
    );
    const pebble = spawn('pebble', ['-config', join(prefix, 'pebble/config.json'), '-dnsserver', `127.0.0.1:${ports.dns}`], {
      stdio: 'ignore',
      // No random sleeps before validating, no rejected nonces: the flow is real, just not slowed down.
      env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    });
    helpers.push(dns, pebble);
    const pebbleCert = await readFile(join(prefix, 'pebble/cert.pem'), 'utf8');
    await waitUntil(
      'pebble to answer',
      async () => (await httpsGet(ports.acme, 'localhost', '/dir', pebbleCert).catch(() => null))?.status === 200,
      20_000,
      200,
    );

    // The platform as it was one commit ago, installed by its own installer: the upgrade test moves it to this checkout.
    const previous = join(prefix, 'previous');
    await exec('git', ['clone', '-q', REPO_ROOT, previous]);
    await exec('git', ['-C', previous, 'checkout', '-q', '--detach', 'HEAD~1']).catch(() => {
      throw new Error('the upgrade test installs the previous commit: run it in a clone with history (not a shallow one)');
    });
    if ((await stat(join(previous, 'deploy/server/install.sh')).catch(() => null)) === null)
      throw new Error('the previous commit has no deploy/server/install.sh to install it with');
    await install(previous);
    // The root that pebble issues from (it makes a new one at each start).
    pebbleRoot = (await httpsGet(ports.acmeManagement, 'localhost', '/roots/0', pebbleCert)).body;
  }, 480_000);

  afterAll(async () => {
    const pidFile = root('run/paas/supervise.pid');
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
    if (pid > 0) {
      process.kill(pid, 'SIGTERM');
      await waitUntil(
        'the supervisor to stop the units',
        async () => (await stat(pidFile).catch(() => null)) === null,
        60_000,
        200,
      );
    }
    for (const helper of helpers) helper.kill('SIGTERM');
    if (prefix) {
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'scripts/remove-local-data.ts'), root('var/lib/paas/data')],
        { cwd: REPO_ROOT, stdio: 'inherit' },
      );
    }
    for (const name of [user, proxyUser]) spawnSync('userdel', [name]);
    await database?.drop();
    await dropRedisPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix).catch(() => {});
    if (prefix) await rm(prefix, { recursive: true, force: true });
  }, 120_000);

  it('serves the dashboard over HTTPS with a certificate from the ACME server', async () => {
    // Caddy asks for it as it starts, and pebble validates it against Caddy: a few seconds.
    await waitUntil(
      'the dashboard over HTTPS',
      async () => (await httpsGet(ports.https, dashboardHost, '/api/health', pebbleRoot).catch(() => null))?.status === 200,
      60_000,
      250,
    );
    const health = await httpsGet(ports.https, dashboardHost, '/api/health', pebbleRoot);
    expect(health.status).toBe(200);
    expect(health.issuer).toMatch(/^Pebble Intermediate CA/);
    // Plain HTTP on the proxy's port redirects to HTTPS.
    const plain = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: ports.http, path: '/', headers: { host: dashboardHost } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('error', reject);
      req.end();
    });
    // (Caddy leaves its own HTTPS port out of the redirect: 443 on a real server.)
    expect(plain).toEqual({ status: 308, location: `https://${dashboardHost}/` });
  });

  it('gets an app host its certificate on its first request, and none for a host the platform does not serve', async () => {
    const env = await readFile(root('etc/paas/paas.env'), 'utf8');
    const adminToken = /^PAAS_ADMIN_TOKEN="(.+)"$/m.exec(env)?.[1] as string;
    const setup = await httpsGet(ports.https, dashboardHost, '/api/v1/setup', pebbleRoot, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.test', password: randomBytes(12).toString('hex'), name: 'Owner' }),
    });
    expect(setup.status, setup.body).toBe(201);
    ownerToken = (JSON.parse(setup.body) as { token: { token: string } }).token.token;
    const token = ownerToken;
    const created = await httpsGet(ports.https, dashboardHost, '/api/v1/apps', pebbleRoot, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'hello' }),
    });
    expect(created.status, created.body).toBe(201);

    // Served through the proxy by the router: nothing deployed yet, so the router's own page.
    const app = await httpsGet(ports.https, `hello.${domain}`, '/', pebbleRoot);
    expect(app.issuer).toMatch(/^Pebble Intermediate CA/);
    expect(app.status).toBe(404);
    expect(app.body).toContain(`No app is routed for hello.${domain}`);
    await expect(httpsGet(ports.https, `stranger.${domain}`, '/', pebbleRoot)).rejects.toThrow();
    // The same answer the proxy got.
    expect((await fetch(`http://127.0.0.1:${ports.web}/api/v1/tls/ask?domain=stranger.${domain}`)).status).toBe(404);
  });

  it('upgrades from the previous commit while a deploy is in flight and the app serves: the deploy finishes, no request fails, the secrets are kept', async () => {
    const repo = await createBareRepo();
    const remote = `http://git:${ownerToken}@127.0.0.1:${ports.web}/git/hello.git`;
    const git = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(
          'git',
          args,
          {
            cwd: repo.workDir,
            env: {
              ...process.env,
              GIT_TERMINAL_PROMPT: '0',
              GIT_CONFIG_NOSYSTEM: '1',
              GIT_CONFIG_GLOBAL: '/dev/null',
              LANG: 'C',
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
        ),
      );
    const deployments = async () => {
      const res = await fetch(`http://127.0.0.1:${ports.web}/api/v1/apps/hello`, {
        headers: { authorization: `Bearer ${ownerToken}` },
      });
      type Deployment = { commitSha: string | null; state: string; step: string | null; error: string | null };
      return ((await res.json()) as { app: { deployments: Deployment[] } }).app.deployments;
    };
    try {
      await repo.commit(sampleAppFiles({ text: 'hello v1' }), 'v1');
      const first = await git('push', remote, 'HEAD:main');
      expect(first.out).toMatch(/remote: -----> Released v1/);
      expect((await httpsGet(ports.https, `hello.${domain}`, '/', pebbleRoot)).body).toBe('hello v1');

      // v2 builds for a while; the upgrade restarts the worker (and the dashboard the push talks to) meanwhile.
      const v2 = await repo.commit(sampleAppFiles({ text: 'hello v2', scripts: { build: 'sleep 8' } }), 'v2');
      const pushing = git('push', remote, 'HEAD:main');
      await waitUntil(
        'the v2 deploy to be building',
        async () => (await deployments()).some((d) => d.commitSha === v2 && d.step === 'build' && d.state !== 'queued'),
        30_000,
        100,
      );

      // A new version may add settings to the file; the secrets and the database stay.
      const kept = async () => {
        const text = await readFile(root('etc/paas/paas.env'), 'utf8');
        return ['PAAS_SECRET_KEY', 'GITHUB_WEBHOOK_SECRET', 'PAAS_ADMIN_TOKEN', 'DATABASE_URL'].map(
          (name) => new RegExp(`^${name}="(.+)"$`, 'm').exec(text)?.[1],
        );
      };
      const before = await kept();
      expect(before.every(Boolean)).toBe(true);
      const answers = { dashboard: 0, app: 0 };
      const failures: string[] = [];
      let upgrading = true;
      const keepAsking = async (
        host: string,
        path: string,
        ok: (status: number, body: string) => boolean,
        count: 'dashboard' | 'app',
      ) => {
        while (upgrading) {
          const res = await httpsGet(ports.https, host, path, pebbleRoot).catch((error: Error) => ({
            status: 0,
            body: error.message,
          }));
          if (ok(res.status, res.body)) answers[count]++;
          else failures.push(`${host}${path}: ${res.status} ${res.body.slice(0, 200)}`);
          // Steady traffic, not a flood: each request is a new TLS connection.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const askers = [
        keepAsking(dashboardHost, '/api/health', (status) => status === 200, 'dashboard'),
        keepAsking(`hello.${domain}`, '/', (status, body) => status === 200 && /^hello v[12]$/.test(body), 'app'),
      ];
      const output = await install(REPO_ROOT).finally(() => {
        upgrading = false;
      });
      await Promise.all(askers);
      expect(output).toContain('Building release');
      expect(output).toContain('Restarting the units one at a time');
      const head = (await exec('git', ['-C', REPO_ROOT, 'rev-parse', '--short=12', 'HEAD'])).stdout.trim();
      expect(basename(await readlink(root('opt/paas/current')))).toMatch(new RegExp(`^${head}-`));
      expect(failures).toEqual([]);
      expect(answers.dashboard).toBeGreaterThan(10);
      expect(answers.app).toBeGreaterThan(10);
      expect(await kept()).toEqual(before);

      // The push's stream may have ended with the dashboard's restart; the deploy goes on.
      await pushing;
      const finished = await waitUntil(
        'the v2 deploy to finish',
        async () => {
          const d = (await deployments()).find((x) => x.commitSha === v2);
          return d && ['succeeded', 'failed', 'canceled'].includes(d.state) ? d : null;
        },
        120_000,
        250,
      );
      expect(finished, finished?.error ?? '').toMatchObject({ state: 'succeeded' });
      expect((await httpsGet(ports.https, `hello.${domain}`, '/', pebbleRoot)).body).toBe('hello v2');

      // The upgraded platform says where the app is: through the proxy, over HTTPS.
      await repo.commit(sampleAppFiles({ text: 'hello v3' }), 'v3');
      const third = await git('push', remote, 'HEAD:main');
      expect(third.out).toContain(`remote: -----> Released v3 at https://hello.${domain}:${ports.https}`);
    } finally {
      await repo.remove();
    }
  });

  it('writes units systemd accepts as they are', async () => {
    const dir = root('etc/systemd/system');
    const units = (await readdir(dir)).filter((f) => f.endsWith('.service'));
    expect(units.sort()).toEqual([
      'paas-proxy.service',
      'paas-router.service',
      'paas-web.service',
      'paas-webhooks.service',
      'paas-worker.service',
    ]);
    const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...units.map((f) => join(dir, f))], { encoding: 'utf8' });
    expect(`${verify.stdout}${verify.stderr}`).toBe('');
    expect(verify.status).toBe(0);
  });

  it('keeps the secrets in one file only root and the platform user can read, and runs each unit as its user', async () => {
    const envFile = await stat(root('etc/paas/paas.env'));
    expect(envFile.mode & 0o777).toBe(0o640);
    expect(envFile.uid).toBe(0);
    const [, , , gid] = (await exec('getent', ['passwd', user])).stdout.trim().split(':');
    expect(envFile.gid).toBe(Number(gid));
    const env = await readFile(root('etc/paas/paas.env'), 'utf8');
    const key = /^PAAS_SECRET_KEY="(.+)"$/m.exec(env)?.[1] as string;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const file of await readdir(root('etc/systemd/system'))) {
      expect(await readFile(root(`etc/systemd/system/${file}`), 'utf8')).not.toContain(key);
    }
    expect(await readFile(root('etc/paas-proxy/Caddyfile'), 'utf8')).not.toContain(key);

    // The webhook receiver and the proxy run as their users, not root.
    const owners = new Map<string, number>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
      const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (cmdline.includes(root('etc/paas-proxy/Caddyfile'))) owners.set('proxy', uid);
      if (cmdline.includes('apps/webhooks/src/main.ts') && cmdline.includes(root('opt/paas'))) owners.set('webhooks', uid);
    }
    expect(owners.get('proxy')).toBe(Number((await exec('id', ['-u', proxyUser])).stdout.trim()));
    expect(owners.get('webhooks')).toBe(Number((await exec('id', ['-u', user])).stdout.trim()));
  });

  it('refuses bad input before writing anything', async () => {
    const r = spawnSync(
      join(REPO_ROOT, 'deploy/server/install.sh'),
      ['--domain', 'not a domain', '--prefix', join(prefix, 'bad'), '--web-port', 'x'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--domain not a domain is not a DNS name');
    expect(r.stderr).toContain('--web-port x is not a port');
    expect(await stat(join(prefix, 'bad')).catch(() => null)).toBeNull();
  });
});

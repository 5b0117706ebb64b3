import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type BareRepo, createBareRepo, httpGet, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeProject, startCompose } from './compose-namespaces';

// docker-compose.yml as Compose runs it, without Docker: each service in a
// network namespace of its own, reaching the others by service name, with the
// file's environment and volumes (see compose-namespaces.ts). What it checks
// is that every service sees what it needs: the dashboard takes a git push
// into the shared volume, the worker builds and runs it, the router (in the
// worker's network) serves it, and the dashboard reads its logs.
describe('docker-compose.yml, each service in a network namespace of its own', () => {
  let project: ComposeProject;
  let repo: BareRepo;
  let ownerToken: string;
  const secrets = {
    PAAS_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
    PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const web = () => `http://${project.address('web')}:3000`;

  const waitForHttp = (what: string, url: string, ok: (status: number) => boolean) =>
    waitUntil(what, async () => ok((await httpGet(url, {}, 2_000).catch(() => ({ status: 0 }))).status), 90_000, 250);

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test makes network namespaces: run the tests as root (CI does)');
    project = await startCompose({
      services: ['postgres', 'redis', 'setup', 'web', 'webhooks', 'worker', 'router'],
      // What the file says to set per install (the secrets), and the tests' own
      // dashboard build: a platform running from this checkout keeps its own.
      extraEnv: { ...secrets, PAAS_WEB_DIST_DIR: process.env.PAAS_WEB_DIST_DIR || '.next-test' },
      ready: async (service, p) => {
        if (service === 'redis') {
          await waitUntil(
            'redis',
            async () => (await p.run('redis', ['redis-cli', '-h', 'redis', 'ping'])).out.includes('PONG'),
            30_000,
            100,
          );
        } else if (service === 'setup') {
          const code = await p.exited('setup');
          if (code !== 0) throw new Error(`setup exited with ${code}:\n${p.output('setup').slice(-3000)}`);
        } else if (service === 'web') {
          await waitForHttp('the dashboard', `http://${p.address('web')}:3000/api/health`, (s) => s === 200);
        } else if (service === 'webhooks') {
          await waitForHttp('the webhook receiver', `http://${p.address('webhooks')}:3001/healthz`, (s) => s === 200);
        } else if (service === 'worker') {
          await waitUntil('the worker', async () => p.output('worker').includes('worker started'), 60_000, 100);
        } else if (service === 'router') {
          await waitForHttp('the router', `http://${p.address('router')}:8080/`, (s) => s === 404);
        }
      },
    });
    repo = await createBareRepo();
  }, 240_000);

  afterAll(async () => {
    if (project) {
      for (const service of ['router', 'web', 'webhooks', 'worker']) await project.kill(service);
      // The apps the worker started, with the paths the worker gave them.
      const removed = await project.run('worker', ['node', '--import', 'tsx', 'scripts/remove-local-data.ts', '/var/lib/paas']);
      if (removed.code !== 0) process.stderr.write(removed.out);
      await project.stop();
    }
    await repo?.remove();
  }, 120_000);

  it('finds each service by its name: the dashboard reaches postgres and redis', async () => {
    const health = await httpGet(`${web()}/api/health`);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', checks: { database: 'ok', queue: 'ok' } });
  });

  it('a push to the dashboard is built and run by the worker, served by the router, and its logs read by the dashboard', async () => {
    const setup = await fetch(`${web()}/api/v1/setup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.PAAS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.test', password: randomBytes(12).toString('hex'), name: 'Owner' }),
    });
    expect(setup.status).toBe(201);
    ownerToken = ((await setup.json()) as { token: { token: string } }).token.token;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${web()}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json', ...init.headers },
      });
    expect((await api('/api/v1/apps', { method: 'POST', body: JSON.stringify({ name: 'composed' }) })).status).toBe(201);

    await repo.commit(sampleAppFiles({ text: 'composed' }), 'first');
    const remote = `${web().replace('://', `://git:${ownerToken}@`)}/git/composed.git`;
    const pushed = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        'git',
        ['push', remote, 'HEAD:main'],
        {
          cwd: repo.workDir,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' },
          // The push waits for the deploy; past this, the services' output says why it did not end.
          timeout: 150_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
      ),
    );
    const logs = ['web', 'worker'].map((service) => `--- ${service}\n${project.output(service).slice(-3000)}`).join('\n');
    expect(pushed.code, `${pushed.out}\n${logs}`).toBe(0);
    expect(pushed.out).toMatch(/remote: -----> Released v1/);

    // The router shares the worker's network, where the app's processes listen.
    const served = await httpGet(`http://${project.address('worker')}:8080/`, { host: 'composed.localhost' });
    expect(served).toMatchObject({ status: 200, body: 'composed' });

    // The dashboard reads the logs the worker's processes write to the shared volume.
    await waitUntil(
      'the app’s log in the dashboard',
      async () => (await (await api('/api/v1/apps/composed/logs?tail=50')).text()).includes('app[web.'),
      20_000,
      250,
    );
  });
});

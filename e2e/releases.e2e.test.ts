import { request } from 'node:http';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  type RunningPlatform,
  sampleAppFiles,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Heroku's release model through the REST API of a running platform, as a
// user without GitHub would drive it: deploy, config, rollback, logs, cancel, delete.
describe('releases through the REST API', () => {
  let platform: RunningPlatform;
  let repo: BareRepo;
  const app = 'rel-api';
  const host = `${app}.localhost`;

  beforeAll(async () => {
    platform = await startPlatform();
    repo = await createBareRepo();
    const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  const serves = (text: string, path = '/') =>
    waitUntil(
      `the router to serve "${text}" at ${path}`,
      async () => (await getViaRouter(platform.routerPort, host, path)).body === text,
      120_000,
      100,
    );

  async function finished(id: string) {
    return waitUntil(
      `deployment ${id} to finish`,
      async () => {
        const res = await platform.api('GET', `/api/v1/apps/${app}/deployments/${id}`);
        return ['succeeded', 'failed', 'canceled'].includes(res.json?.deployment?.state) ? res.json.deployment : null;
      },
      120_000,
      200,
    );
  }

  /** Reads a streamed response chunk by chunk; `onChunk` sees each piece as it arrives. */
  function stream(path: string, onChunk: (text: string, all: string) => void | Promise<void>) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${platform.webUrl}${path}`,
        { headers: { authorization: `Bearer ${platform.owner.token}` } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
            Promise.resolve(onChunk(chunk, body)).catch((error) => {
              req.destroy();
              reject(error);
            });
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('deploys without GitHub: the tracked branch head, answered 202, served through the router', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'api v1' }), 'v1');
    const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`);
    expect(res.status, res.text).toBe(202);
    expect(res.json.deployment).toMatchObject({ kind: 'deploy', ref: 'main', state: 'queued' });
    const d = await finished(res.json.deployment.id);
    expect(d).toMatchObject({ state: 'succeeded', commitSha: sha, release: { version: 1 } });
    expect(d.steps.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([
      ['build', 'done'],
      ['release', 'done'],
      ['launch', 'done'],
      ['await_healthy', 'done'],
      ['route', 'done'],
      ['retire', 'done'],
    ]);
    await serves('api v1');
    const log = await fetch(`${platform.webUrl}/api/v1/apps/${app}/deployments/${d.id}/log`, {
      headers: { authorization: `Bearer ${platform.owner.token}` },
    });
    expect(log.headers.get('content-type')).toContain('text/plain');
    expect(await log.text()).toContain('npm ci');
  });

  it('streams a build log while the build runs (?follow=1), then ends', async () => {
    const script = 'for i in 1 2 3 4 5 6; do echo "step $i of the build"; sleep 1; done';
    const sha = await repo.commit(sampleAppFiles({ text: 'api v2', scripts: { build: script } }), 'v2');
    const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: sha });
    expect(res.status).toBe(202);
    const id = res.json.deployment.id;
    let seenWhileBuilding = false;
    const followed = await stream(`/api/v1/apps/${app}/deployments/${id}/log?follow=1`, async (_chunk, all) => {
      if (seenWhileBuilding || !all.includes('step 1 of the build')) return;
      const now = await platform.api('GET', `/api/v1/apps/${app}/deployments/${id}`);
      // The first lines arrived while the build was still running.
      if (now.json.deployment.step === 'build' && now.json.deployment.state !== 'succeeded') seenWhileBuilding = true;
    });
    expect(followed.status).toBe(200);
    expect(seenWhileBuilding).toBe(true);
    expect(followed.body).toContain('step 6 of the build');
    expect(followed.body).toContain('-----> Build succeeded');
    expect((await finished(id)).state).toBe('succeeded');
    await serves('api v2');
  });

  it('sets config vars: 202, a release with the same build, and the app sees them', async () => {
    const before = await platform.api('GET', `/api/v1/apps/${app}`);
    const res = await platform.api('PATCH', `/api/v1/apps/${app}/config`, { GREETING: 'hello config', SECRET: 's3' });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ config: { GREETING: 'hello config', SECRET: 's3' }, version: 1 });
    expect((await finished(res.json.deployment.id)).state).toBe('succeeded');
    await serves('hello config', '/__env/GREETING');
    const read = await platform.api('GET', `/api/v1/apps/${app}/config`);
    expect(read.json).toEqual({ config: { GREETING: 'hello config', SECRET: 's3' }, version: 1, valuesHidden: false });
    const after = await platform.api('GET', `/api/v1/apps/${app}`);
    const [latest, previous] = after.json.app.releases;
    expect(latest).toMatchObject({ version: 3, cause: 'config', configVersion: 1, status: 'active', buildId: previous.buildId });
    expect(after.json.app.releases.length).toBe(before.json.app.releases.length + 1);
    const unset = await platform.api('PATCH', `/api/v1/apps/${app}/config`, { SECRET: null });
    expect(unset.status).toBe(202);
    expect((await finished(unset.json.deployment.id)).state).toBe('succeeded');
    expect((await getViaRouter(platform.routerPort, host, '/__env/SECRET')).status).toBe(404);
  });

  it('rolls back to an earlier release: 202, no build, its code and config serve again', async () => {
    const res = await platform.api('POST', `/api/v1/apps/${app}/rollback`, { version: 1 });
    expect(res.status, res.text).toBe(202);
    const d = await finished(res.json.deployment.id);
    expect(d).toMatchObject({ state: 'succeeded', kind: 'rollback', build: null });
    await serves('api v1');
    expect((await getViaRouter(platform.routerPort, host, '/__env/GREETING')).status).toBe(404);
    const detail = await platform.api('GET', `/api/v1/apps/${app}`);
    expect(detail.json.app.releases[0]).toMatchObject({ version: 5, cause: 'rollback', rollbackOf: 1, status: 'active' });
  });

  it('tails the app’s output and follows it (?tail=N&follow=1)', async () => {
    const tail = await fetch(`${platform.webUrl}/api/v1/apps/${app}/logs?tail=20`, {
      headers: { authorization: `Bearer ${platform.owner.token}` },
    });
    expect(tail.status).toBe(200);
    expect(await tail.text()).toMatch(/^app\[web\.\d+\]: listening on \d+$/m);

    // Write a line through the router until the follower sees one (headers may
    // only come with the first piece of the stream, so both run at once).
    const controller = new AbortController();
    let seen = '';
    const follower = (async () => {
      const res = await fetch(`${platform.webUrl}/api/v1/apps/${app}/logs?tail=0&follow=1`, {
        headers: { authorization: `Bearer ${platform.owner.token}` },
        signal: controller.signal,
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      while (!seen.includes('a line worth following')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
    })();
    await waitUntil(
      'the new line in the stream',
      async () => {
        await getViaRouter(platform.routerPort, host, '/__log/a%20line%20worth%20following');
        return seen.includes('a line worth following');
      },
      30_000,
      500,
    );
    await follower;
    controller.abort();
    expect(seen).toMatch(/app\[web\.\d+\]: a line worth following/);
  });

  it('cancels a hanging build (202), leaves the serving release alone, and a new deploy works', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'hangs', scripts: { build: 'echo stuck; sleep 600' } }), 'hang');
    const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: sha });
    const id = res.json.deployment.id;
    await waitUntil(
      'the build to hang',
      async () =>
        (
          await fetch(`${platform.webUrl}/api/v1/apps/${app}/deployments/${id}/log`, {
            headers: { authorization: `Bearer ${platform.owner.token}` },
          }).then((r) => r.text())
        ).includes('stuck'),
      60_000,
    );
    const cancel = await platform.api('POST', `/api/v1/apps/${app}/deployments/${id}/cancel`);
    expect(cancel.status, cancel.text).toBe(202);
    expect(await finished(id)).toMatchObject({ state: 'canceled', errorCode: 'canceled', build: { status: 'canceled' } });
    expect((await getViaRouter(platform.routerPort, host)).body).toBe('api v1');
    const again = await platform.api('POST', `/api/v1/apps/${app}/deployments/${id}/cancel`);
    expect(again.status).toBe(409);

    const fixed = await repo.commit(sampleAppFiles({ text: 'api fixed' }), 'fixed');
    const next = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: fixed });
    expect((await finished(next.json.deployment.id)).state).toBe('succeeded');
    await serves('api fixed');
  });

  it('follows a deployment as server-sent events: steps as they change, the build log as it grows, then the end', async () => {
    const script = 'for i in 1 2 3; do echo "sse step $i"; sleep 1; done';
    const sha = await repo.commit(sampleAppFiles({ text: 'api sse', scripts: { build: script } }), 'sse');
    const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: sha });
    const id = res.json.deployment.id;
    const followed = await stream(`/api/v1/apps/${app}/deployments/${id}/events`, () => {});
    expect(followed.status).toBe(200);
    const events = followed.body
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => {
        const [head, data] = block.split('\ndata: ');
        return { event: (head as string).slice('event: '.length), data: JSON.parse(data as string) };
      });
    expect(events[0]?.event).toBe('deployment');
    expect(events.at(-1)).toEqual({ event: 'end', data: { state: 'succeeded' } });
    // The build was seen running, then done, as separate events.
    const buildStates = events
      .filter((e) => e.event === 'deployment')
      .map((e) => e.data.steps.find((s: { name: string }) => s.name === 'build').state);
    expect(buildStates.some((state) => state === 'running' || state === 'waiting')).toBe(true);
    expect(buildStates.at(-1)).toBe('done');
    // The log arrived in pieces, each where the last one ended, and adds up to the whole log.
    const pieces = events.filter((e) => e.event === 'log').map((e) => e.data as { text: string; offset: number });
    expect(pieces.length).toBeGreaterThan(1);
    let at = 0;
    for (const p of pieces) {
      expect(p.offset).toBe(at);
      at += p.text.length;
    }
    const whole = await platform.api('GET', `/api/v1/apps/${app}/deployments/${id}/log`);
    expect(pieces.map((p) => p.text).join('')).toBe(whole.text);
    expect(whole.text).toContain('sse step 3');
    await serves('api sse');
  });

  it('deletes the app (202): processes, route and rows go, and the name is free again', async () => {
    const res = await platform.api('DELETE', `/api/v1/apps/${app}`);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toEqual({ app: { name: app, status: 'deleting' } });
    await waitUntil('the app to be gone', async () => (await platform.api('GET', `/api/v1/apps/${app}`)).status === 404, 60_000);
    expect((await getViaRouter(platform.routerPort, host)).status).toBe(404);
    expect(await platform.db.build.count({ where: { app: { name: app } } })).toBe(0);
    const again = await platform.api('POST', `/api/v1/apps`, { name: app, repoUrl: repo.url, branch: 'main' });
    expect(again.status, again.text).toBe(201);
  });
});

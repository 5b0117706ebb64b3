import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import {
  createBareRepo,
  pushPayload,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  signGithubPayloadForTests,
  startPlatform,
  waitForRelay,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Bad input gets a clear error and leaves nothing half-written.
describe('bad input at the edge', () => {
  let platform: RunningPlatform;
  let url: string;
  let secret: string;
  let repo: Awaited<ReturnType<typeof createBareRepo>> | undefined;

  beforeAll(async () => {
    platform = await startPlatform();
    url = platform.webhookUrl;
    secret = platform.secrets.GITHUB_WEBHOOK_SECRET;
  });
  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  async function counts() {
    const db = platform.db;
    const [apps, deliveries, deployments, builds, processTypes, audit] = await Promise.all([
      db.app.count(),
      db.webhookDelivery.count(),
      db.deployment.count(),
      db.build.count(),
      db.processType.count(),
      db.auditEvent.count(),
    ]);
    return { apps, deliveries, deployments, builds, processTypes, audit };
  }

  it('webhook: bad signature → 401, malformed JSON or content type → 400, unknown event → 202 and ignored, repeat → 200', async () => {
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: 'hooked', repoUrl: repo.url, branch: 'main' })).status).toBe(201);
    const sha = await repo.commit(sampleAppFiles({ text: 'x' }), 'x');
    const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha }));
    const before = await counts();

    const forged = await sendGithubDelivery({ url, secret: 'not-the-secret-at-all', event: 'push', body });
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ error: { code: 'bad_signature' } });
    const unsigned = await sendGithubDelivery({ url, secret, event: 'push', body, signature: null });
    expect(unsigned.status).toBe(401);

    const broken = '{"ref": "refs/heads/main", ';
    const malformed = await sendGithubDelivery({ url, secret, event: 'push', body: broken });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'malformed_request' } });

    const notAPush = await sendGithubDelivery({ url, secret, event: 'push', body: JSON.stringify({ zen: 'hi' }) });
    expect(notAPush.status).toBe(400);
    const xml = await sendGithubDelivery({ url, secret, event: 'push', body, contentType: 'text/xml' });
    expect(xml.status).toBe(400);
    expect(xml.json).toMatchObject({ error: { code: 'malformed_request', message: expect.stringMatching(/content type/) } });
    expect(await counts()).toEqual(before);

    const unknown = await sendGithubDelivery({ url, secret, event: 'star', body: JSON.stringify({ action: 'created' }) });
    expect(unknown.status).toBe(202);
    expect(unknown.json).toEqual({ status: 'received', delivery: unknown.deliveryId });
    const stored = await waitForRelay(platform.db, unknown.deliveryId);
    expect(stored).toMatchObject({ status: 'ignored', result: 'event "star" is not handled' });
    const afterUnknown = await counts();
    expect(afterUnknown).toEqual({ ...before, deliveries: before.deliveries + 1 });

    const accepted = await sendGithubDelivery({ url, secret, event: 'push', body });
    expect(accepted.status).toBe(202);
    const repeat = await sendGithubDelivery({ url, secret, event: 'push', body, deliveryId: accepted.deliveryId });
    expect(repeat.status).toBe(200);
    expect(repeat.json.status).toBe('duplicate');
    expect(await waitForRelay(platform.db, accepted.deliveryId)).toMatchObject({
      status: 'processed',
      result: '1 deployment(s)',
    });
    const final = await counts();
    expect(final.deployments).toBe(before.deployments + 1);
    expect(final.deliveries).toBe(afterUnknown.deliveries + 1);
  });

  it('webhook: an app’s own secret, for a repository outside the GitHub App, deploys that app only', async () => {
    const own = await createBareRepo();
    try {
      expect((await platform.api('POST', '/api/v1/apps', { name: 'own-hook', repoUrl: own.url })).status).toBe(201);
      const made = await platform.api('POST', '/api/v1/apps/own-hook/webhook-secret');
      expect(made.status).toBe(201);
      expect(made.json).toEqual({ secret: expect.stringMatching(/^[0-9a-f]{48}$/), url: `${url}/apps/own-hook` });
      const appSecret = made.json.secret as string;
      const shown = await platform.api('GET', '/api/v1/apps/own-hook');
      expect(shown.json.app.hasWebhookSecret).toBe(true);
      expect(shown.text).not.toContain(appSecret);

      const sha = await own.commit(sampleAppFiles({ text: 'own hook' }), 'own');
      const body = JSON.stringify(pushPayload({ repoUrl: own.url, branch: 'main', sha }));
      // Its secret opens its own URL only, and only its secret does.
      expect((await sendGithubDelivery({ url, secret: appSecret, event: 'push', body })).status).toBe(401);
      expect((await sendGithubDelivery({ url: made.json.url, secret, event: 'push', body })).status).toBe(401);
      const accepted = await sendGithubDelivery({ url: made.json.url, secret: appSecret, event: 'push', body });
      expect(accepted.status).toBe(202);
      const relayed = await waitForRelay(platform.db, accepted.deliveryId);
      expect(relayed).toMatchObject({ status: 'processed', result: '1 deployment(s)' });
      const app = await platform.db.app.findUniqueOrThrow({ where: { name: 'own-hook' } });
      expect(relayed.scopeAppId).toBe(app.id);

      // Signed for this app, about another repository (here, the one `hooked` tracks): nothing deploys.
      const other = await sendGithubDelivery({
        url: made.json.url,
        secret: appSecret,
        event: 'push',
        body: JSON.stringify(pushPayload({ repoUrl: repo?.url ?? '', branch: 'main', sha: 'd'.repeat(40) })),
      });
      expect((await waitForRelay(platform.db, other.deliveryId)).status).toBe('ignored');

      expect((await platform.api('DELETE', '/api/v1/apps/own-hook/webhook-secret')).status).toBe(200);
      expect((await sendGithubDelivery({ url: made.json.url, secret: appSecret, event: 'push', body })).status).toBe(401);
    } finally {
      await own.remove();
    }
  });

  it('webhook: tags, deleted branches and [skip deploy] are stored and ignored with the reason, never deployed', async () => {
    const target = await createBareRepo();
    try {
      expect((await platform.api('POST', '/api/v1/apps', { name: 'skipper', repoUrl: target.url, branch: 'main' })).status).toBe(
        201,
      );
      const sha = await target.commit(sampleAppFiles({ text: 'skip' }), 'skip');
      const base = pushPayload({ repoUrl: target.url, branch: 'main', sha, message: 'tidy up [skip deploy]' });
      const cases: Array<[Record<string, unknown>, string]> = [
        [base, '[skip deploy] in the head commit message'],
        [
          { ...base, ref: 'refs/tags/v1.0.0', head_commit: { id: sha, message: 'release' } },
          'tag v1.0.0 pushed: tags do not deploy',
        ],
        [{ ...base, after: '0'.repeat(40), deleted: true, head_commit: null }, 'branch main deleted'],
      ];
      const deployments = await platform.db.deployment.count();
      for (const [payload, reason] of cases) {
        const res = await sendGithubDelivery({ url, secret, event: 'push', body: JSON.stringify(payload) });
        expect(res.status, reason).toBe(202);
        expect(await waitForRelay(platform.db, res.deliveryId)).toMatchObject({ status: 'ignored', result: reason });
      }
      expect(await platform.db.deployment.count()).toBe(deployments);
    } finally {
      await target.remove();
    }
  });

  it('webhook: accepts the form-encoded content type GitHub also offers', async () => {
    const payload = JSON.stringify(pushPayload({ repoUrl: '/nowhere/form.git', branch: 'main', sha: 'b'.repeat(40) }));
    const body = new URLSearchParams({ payload }).toString();
    const contentType = 'application/x-www-form-urlencoded';
    const res = await sendGithubDelivery({ url, secret, event: 'push', body, contentType });
    expect(res.status).toBe(202);
    const stored = await waitForRelay(platform.db, res.deliveryId);
    expect(stored.status).toBe('ignored');
    expect(String(stored.result)).toMatch(/no app tracks/);
  });

  it('webhook: a push for a repository no app tracks is stored and ignored with the reason', async () => {
    const body = JSON.stringify(pushPayload({ repoUrl: '/nowhere/repo.git', branch: 'main', sha: 'a'.repeat(40) }));
    const res = await sendGithubDelivery({ url, secret, event: 'push', body });
    expect(res.status).toBe(202);
    const stored = await waitForRelay(platform.db, res.deliveryId);
    expect(stored.status).toBe('ignored');
    expect(String(stored.result)).toMatch(/no app tracks/);
  });

  it('webhook: a body over 25 MB → 413 as it streams, chunked or not, signed or not; nothing stored', async () => {
    const before = await counts();
    const big = JSON.stringify({ zen: 'x'.repeat(26 * 1024 * 1024) });
    const signature = await signGithubPayloadForTests(secret, big);
    // Chunked, with no Content-Length: only counting the bytes as they arrive can refuse it.
    const chunked = await postChunked(url, big, { 'x-hub-signature-256': signature, 'x-github-event': 'ping' });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    const declared = await sendGithubDelivery({ url, secret, event: 'ping', body: big, signature: null });
    expect(declared.status).toBe(413);
    // A sender that goes on writing after the 413 has come back is not cut off mid-write.
    const late = await postAfterAnswer(url, 26 * 1024 * 1024);
    expect(late).toEqual({ status: 413, writeError: null });
    expect(await counts()).toEqual(before);
  });

  it('webhook: signed JSON that Postgres jsonb would refuse is stored as its exact bytes and relayed', async () => {
    const deep = `${'['.repeat(2_000)}${']'.repeat(2_000)}`;
    for (const body of [
      '{"zen":"nul \\u0000 inside","hook_id":1}',
      '{"zen":"lone \\ud800 surrogate","hook_id":2}',
      `{"zen":"deep","hook_id":3,"nested":${deep}}`,
    ]) {
      const res = await sendGithubDelivery({ url, secret, event: 'ping', body });
      expect(res.status, body.slice(0, 60)).toBe(200);
      const stored = await waitForRelay(platform.db, res.deliveryId);
      expect(Buffer.from(stored.rawBody).toString('utf8')).toBe(body);
      expect(stored).toMatchObject({ status: 'ignored', result: 'ping' });
    }
  });

  it('signature is checked over the raw bytes', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const sig = await signGithubPayloadForTests(secret, body);
    const spaced = body.replace(':', ': ');
    const res = await sendGithubDelivery({ url, secret, event: 'ping', body: spaced, signature: sig });
    expect(res.status).toBe(401);
    const ok = await sendGithubDelivery({ url, secret, event: 'ping', body, signature: sig });
    expect(ok.status).toBe(200);
  });

  it('API: no token → 401; invalid name, duplicate, bad quantity → 4xx with the reason; nothing written', async () => {
    const before = await counts();
    expect((await platform.api('GET', '/api/v1/apps', undefined, 'wrong-token')).status).toBe(401);
    const noAuth = await fetch(`${platform.webUrl}/api/v1/apps`);
    expect(noAuth.status).toBe(401);

    const badName = await platform.api('POST', '/api/v1/apps', { name: 'Bad_Name!', repoUrl: '/srv/x.git', branch: 'main' });
    expect(badName.status).toBe(422);
    expect(badName.json.error.code).toBe('validation_failed');
    expect(badName.json.error.message).toMatch(/name: /);

    const badJson = await platform.api('POST', '/api/v1/apps', '{"name": ');
    expect(badJson.status).toBe(400);
    expect(await counts()).toEqual(before);

    expect((await platform.api('POST', '/api/v1/apps', { name: 'scalable', repoUrl: '/srv/x.git' })).status).toBe(201);
    const dup = await platform.api('POST', '/api/v1/apps', { name: 'scalable', repoUrl: '/srv/y.git' });
    expect(dup.status).toBe(409);
    const mid = await counts();

    for (const quantity of [-1, 1.5, 'three', 1000]) {
      const res = await platform.api('PATCH', '/api/v1/apps/scalable/formation/web', { quantity });
      expect(res.status, JSON.stringify(quantity)).toBe(422);
      expect(res.json.error.message).toMatch(/quantity/);
    }
    expect((await platform.api('PATCH', '/api/v1/apps/scalable/formation/worker', { quantity: 1 })).status).toBe(404);
    expect((await platform.api('PATCH', '/api/v1/apps/missing/formation/web', { quantity: 1 })).status).toBe(404);
    expect(await counts()).toEqual(mid);

    const ok = await platform.api('PATCH', '/api/v1/apps/scalable/formation/web', { quantity: 2 });
    expect(ok.status).toBe(200);
    expect(ok.json.formation).toEqual({ type: 'web', quantity: 2, size: 'small', autoscaling: null });
  });

  it('releases: bad rollback, config, deploy and cancel requests → 4xx with the reason; nothing written', async () => {
    const before = await counts();
    const versions = await platform.db.configVersion.count();
    const app = 'scalable';
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', `/api/v1/apps/${app}/rollback`, { version: 7 }, 422, /v7 does not exist/],
      ['POST', `/api/v1/apps/${app}/rollback`, { version: 'latest' }, 422, /version/],
      ['POST', `/api/v1/apps/${app}/rollback`, {}, 422, /version/],
      ['PATCH', `/api/v1/apps/${app}/config`, { '9LIVES': 'x' }, 422, /9LIVES: config var names/],
      ['PATCH', `/api/v1/apps/${app}/config`, { OK: 'x', BAD: 1 }, 422, /string, or null/],
      ['PATCH', `/api/v1/apps/${app}/config`, { BIG: 'x'.repeat(40_000) }, 422, /over 32 KB/],
      [
        'PATCH',
        `/api/v1/apps/${app}/config`,
        Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`K${i}`, 'v'])),
        422,
        /at most 1000/,
      ],
      ['PATCH', `/api/v1/apps/${app}/config`, '{"A": ', 400, /not valid JSON/],
      ['POST', `/api/v1/apps/${app}/deploys`, { ref: 'a b' }, 422, /ref must be/],
      ['POST', `/api/v1/apps/${app}/deploys`, { ref: 'main', extra: 1 }, 422, /extra|Unrecognized/i],
      ['POST', '/api/v1/apps/missing/deploys', {}, 404, /missing/],
      ['POST', `/api/v1/apps/${app}/deployments/00000000-0000-0000-0000-000000000000/cancel`, undefined, 404, /does not exist/],
      [
        'POST',
        '/api/v1/apps',
        { name: 'leaky', repoUrl: 'https://user:ghp_secret@github.com/a/b.git' },
        422,
        /must not contain credentials/,
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await platform.api(method, path, body);
      expect(res.status, `${method} ${path} ${res.text.slice(0, 200)}`).toBe(status);
      expect(res.json.error.message, path).toMatch(message);
    }
    expect(await counts()).toEqual(before);
    expect(await platform.db.configVersion.count()).toBe(versions);
    // The refused URL was not stored or logged anywhere it could be read back.
    expect(platform.output()).not.toContain('ghp_secret');
  });

  it('cancel of a finished deployment → 409', async () => {
    const done = await platform.db.deployment.findFirst({
      where: { state: { in: ['succeeded', 'failed', 'canceled'] } },
      include: { app: true },
    });
    const d =
      done ??
      (await (async () => {
        const res = await platform.api('POST', '/api/v1/apps/hooked/deploys', { ref: 'no-such-ref' });
        const id = res.json.deployment.id;
        for (;;) {
          const now = await platform.db.deployment.findUniqueOrThrow({ where: { id }, include: { app: true } });
          if (['succeeded', 'failed', 'canceled'].includes(now.state)) return now;
          await new Promise((r) => setTimeout(r, 200));
        }
      })());
    const res = await platform.api('POST', `/api/v1/apps/${d.app.name}/deployments/${d.id}/cancel`);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('conflict');
  });
});

/** A POST with Transfer-Encoding: chunked (no Content-Length), written in 1 MB pieces. */
/**
 * Declares `total` bytes, sends the first megabyte, waits for the answer, then
 * writes the rest on the same connection, as a raw socket (Node's own client
 * stops sending once it has an answer): says whether a write failed because
 * the server had closed the connection.
 */
function postAfterAnswer(url: string, total: number): Promise<{ status: number; writeError: string | null }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const piece = Buffer.alloc(1024 * 1024, 'x');
    let status = 0;
    let answer = '';
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ status, writeError: error.code ?? error.message }));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (status !== 0 || !answer.includes('\r\n')) return;
      status = Number(answer.split(' ')[1]);
      let written = piece.length;
      const writeMore = () => {
        while (written < total) {
          const chunk = piece.subarray(0, Math.min(piece.length, total - written));
          written += chunk.length;
          if (!socket.write(chunk)) return socket.once('drain', writeMore);
        }
        // Everything written and nothing refused: the server read it all.
        socket.end(() => resolve({ status, writeError: null }));
      };
      writeMore();
    });
    socket.write(
      [
        `POST ${pathname} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${total}`,
        `X-GitHub-Delivery: ${randomUUID()}`,
        'X-GitHub-Event: ping',
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(piece);
  });
}

function postChunked(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-delivery': randomUUID(), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const piece = 1024 * 1024;
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.slice(offset, offset + piece);
        offset += piece;
        if (!req.write(chunk)) return req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

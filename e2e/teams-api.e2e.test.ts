import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { addMember, type Member, REPO_ROOT, type RunningPlatform, signIn, startPlatform, tokenFor } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The role × action matrix through the REST API, team isolation, tokens,
// CSRF, rate limits and body limits, on a real platform.

type Role = 'viewer' | 'member' | 'admin' | 'owner';
const ORDER: Role[] = ['viewer', 'member', 'admin', 'owner'];

let platform: RunningPlatform;
const people = {} as Record<Role, { token: string }>;
let viewer: Member;

beforeAll(async () => {
  platform = await startPlatform();
  people.owner = { token: platform.owner.token };
  for (const role of ['admin', 'member', 'viewer'] as const) {
    const m = await addMember(platform, role);
    people[role] = { token: m.token };
    if (role === 'viewer') viewer = m;
  }
  expect((await platform.api('POST', '/api/v1/apps', { name: 'matrix', repoUrl: 'https://github.com/acme/matrix' })).status).toBe(
    201,
  );
  expect((await platform.api('PATCH', '/api/v1/apps/matrix/config', { SECRET_KEY: 'hunter2-value' })).status).toBe(202);
  expect((await platform.api('POST', '/api/v1/apps', { name: 'doomed', repoUrl: 'https://github.com/acme/doomed' })).status).toBe(
    201,
  );
}, 180_000);

afterAll(async () => platform?.stop(), 60_000);

// Changes people make (the worker's own events, such as an app's teardown finishing, are not theirs).
const auditCount = () => platform.db.auditEvent.count({ where: { actorType: { in: ['user', 'token'] } } });

// Every change and the least role that may make it. Allowed calls may still
// fail on their input (404, 409, 422): the matrix asserts the permission only.
const MATRIX: { action: string; least: Role; call: () => [string, string, unknown?] }[] = [
  { action: 'read apps', least: 'viewer', call: () => ['GET', '/api/v1/apps'] },
  { action: 'read an app', least: 'viewer', call: () => ['GET', '/api/v1/apps/matrix'] },
  { action: 'read the team', least: 'viewer', call: () => ['GET', '/api/v1/team'] },
  { action: 'scale', least: 'member', call: () => ['PATCH', '/api/v1/apps/matrix/formation/web', { quantity: 1 }] },
  { action: 'deploy', least: 'member', call: () => ['POST', '/api/v1/apps/matrix/deploys', { ref: 'no-such-ref' }] },
  { action: 'roll back', least: 'member', call: () => ['POST', '/api/v1/apps/matrix/rollback', { version: 99 }] },
  {
    action: 'cancel',
    least: 'member',
    call: () => ['POST', `/api/v1/apps/matrix/deployments/${randomUUID()}/cancel`],
  },
  { action: 'set config', least: 'admin', call: () => ['PATCH', '/api/v1/apps/matrix/config', { OTHER: 'x' }] },
  { action: 'add a domain', least: 'admin', call: () => ['POST', '/api/v1/apps/matrix/domains', { hostname: 'bad host' }] },
  { action: 'remove a domain', least: 'admin', call: () => ['DELETE', '/api/v1/apps/matrix/domains/nope.example.com'] },
  { action: 'change settings', least: 'admin', call: () => ['PATCH', '/api/v1/apps/matrix', { rootDir: '../escape' }] },
  { action: 'create an app', least: 'admin', call: () => ['POST', '/api/v1/apps', { name: 'Bad Name' }] },
  // The first role allowed deletes it; those after get 202 or 409 (already being deleted).
  { action: 'delete an app', least: 'admin', call: () => ['DELETE', '/api/v1/apps/doomed'] },
  { action: 'add a cloud account', least: 'admin', call: () => ['POST', '/api/v1/cloud-accounts', { name: '' }] },
  { action: 'invite', least: 'admin', call: () => ['POST', '/api/v1/team/invitations', { role: 'no-such-role' }] },
  { action: 'read the audit log', least: 'admin', call: () => ['GET', '/api/v1/audit'] },
  { action: 'sync GitHub', least: 'admin', call: () => ['POST', '/api/v1/github/sync'] },
  { action: 'delete the team', least: 'owner', call: () => ['DELETE', '/api/v1/team'] },
];

describe('role × action through the REST API', () => {
  for (const row of MATRIX) {
    for (const role of ORDER) {
      const allowed = ORDER.indexOf(role) >= ORDER.indexOf(row.least);
      it(`${role} ${allowed ? 'may' : 'may not'} ${row.action}`, async () => {
        const before = await auditCount();
        const [method, path, body] = row.call();
        const res = await platform.api(method, path, body, people[role].token);
        if (allowed) {
          expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
        } else {
          expect(res.status, res.text).toBe(403);
          expect(res.json.error.code).toBe('forbidden');
          expect(await auditCount()).toBe(before);
        }
      });
    }
  }
});

describe('what a viewer sees', () => {
  it('config keys, never values', async () => {
    const res = await platform.api('GET', '/api/v1/apps/matrix/config', undefined, people.viewer.token);
    expect(res.status).toBe(200);
    expect(res.json.config).toHaveProperty('SECRET_KEY', null);
    expect(Object.values(res.json.config).every((v) => v === null)).toBe(true);
    expect(res.text).not.toContain('hunter2');
    const member = await platform.api('GET', '/api/v1/apps/matrix/config', undefined, people.member.token);
    expect(member.json.config).toHaveProperty('SECRET_KEY', 'hunter2-value');
  });

  it('a refused change leaves the formation as it was', async () => {
    const res = await platform.api('PATCH', '/api/v1/apps/matrix/formation/web', { quantity: 3 }, people.viewer.token);
    expect(res.status).toBe(403);
    const app = await platform.db.app.findUniqueOrThrow({ where: { name: 'matrix' }, include: { processTypes: true } });
    expect(app.processTypes.find((p) => p.type === 'web')?.quantity).toBe(1);
  });
});

describe('teams are isolated', () => {
  let otherToken: string;

  beforeAll(async () => {
    expect((await platform.api('POST', '/api/v1/teams', { slug: 'other', name: 'Other' })).status).toBe(201);
    const cookie = await signIn(platform.webUrl, platform.owner.email, platform.owner.password);
    otherToken = await tokenFor(platform.webUrl, cookie, 'other');
    const made = await platform.api('POST', '/api/v1/apps', { name: 'theirs', repoUrl: 'https://github.com/o/t' }, otherToken);
    expect(made.status).toBe(201);
  });

  it("another team's app answers 404 to every role, and lists never show it", async () => {
    for (const role of ORDER) {
      const token = people[role].token;
      expect((await platform.api('GET', '/api/v1/apps/theirs', undefined, token)).status).toBe(404);
      expect((await platform.api('PATCH', '/api/v1/apps/theirs/formation/web', { quantity: 2 }, token)).status).toBe(404);
      expect((await platform.api('DELETE', '/api/v1/apps/theirs', undefined, token)).status).toBe(404);
      const list = await platform.api('GET', '/api/v1/apps', undefined, token);
      expect(list.json.apps.map((a: { name: string }) => a.name)).not.toContain('theirs');
    }
    const theirs = await platform.api('GET', '/api/v1/apps', undefined, otherToken);
    expect(theirs.json.apps.map((a: { name: string }) => a.name)).toEqual(['theirs']);
    expect((await platform.api('GET', '/api/v1/apps/matrix', undefined, otherToken)).status).toBe(404);
    const audit = await platform.api('GET', '/api/v1/audit?limit=200', undefined, otherToken);
    expect(audit.json.events.every((e: { app: string | null }) => e.app !== 'matrix')).toBe(true);
  });
});

describe('tokens and sessions', () => {
  it('a revoked token → 401 at once; an expired one → 401', async () => {
    const cookie = await signIn(platform.webUrl, viewer.email, viewer.password);
    const token = await tokenFor(platform.webUrl, cookie);
    expect((await platform.api('GET', '/api/v1/apps', undefined, token)).status).toBe(200);
    const listed = await platform.api('GET', '/api/v1/tokens', undefined, token);
    const id = listed.json.tokens.find((t: { hint: string }) => token.startsWith(t.hint.replace('…', '')))?.id;
    expect((await platform.api('DELETE', `/api/v1/tokens/${id}`, undefined, token)).status).toBe(200);
    const after = await platform.api('GET', '/api/v1/apps', undefined, token);
    expect(after.status).toBe(401);

    const expiring = await tokenFor(platform.webUrl, cookie);
    await platform.db.apiToken.updateMany({ where: { hint: `${expiring.slice(0, 9)}…` }, data: { expiresAt: new Date(0) } });
    const expired = await platform.api('GET', '/api/v1/apps', undefined, expiring);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
  });

  it('the admin token no longer signs anything in', async () => {
    const res = await platform.api('GET', '/api/v1/apps', undefined, platform.secrets.PAAS_ADMIN_TOKEN);
    expect(res.status).toBe(401);
    const again = await fetch(`${platform.webUrl}/api/v1/setup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.secrets.PAAS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.test', password: 'long-enough-password' }),
    });
    expect(again.status).toBe(409);
    expect(await platform.db.user.count({ where: { email: 'late@example.test' } })).toBe(0);
  });

  it('nobody makes a token stronger than their role', async () => {
    const member = await addMember(platform, 'member');
    const res = await fetch(`${platform.webUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { cookie: member.cookie, origin: platform.webUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'escalate', role: 'admin' }),
    });
    expect(res.status).toBe(403);
    const weaker = await fetch(`${platform.webUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { cookie: member.cookie, origin: platform.webUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'read-only', role: 'viewer' }),
    });
    expect(weaker.status).toBe(201);
    const token = ((await weaker.json()) as { token: { token: string } }).token.token;
    expect((await platform.api('GET', '/api/v1/me', undefined, token)).json.role).toBe('viewer');
  });

  it('an API token cannot mint tokens', async () => {
    const res = await platform.api('POST', '/api/v1/tokens', { name: 'escalate' }, people.admin.token);
    expect(res.status).toBe(403);
  });

  it('a cookie-authenticated change from another origin is refused (CSRF); the same origin is not', async () => {
    const cookie = await signIn(platform.webUrl, platform.owner.email, platform.owner.password);
    const before = await auditCount();
    const forged = await fetch(`${platform.webUrl}/api/v1/apps/matrix/formation/web`, {
      method: 'PATCH',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 2 }),
    });
    expect(forged.status).toBe(403);
    const noOrigin = await fetch(`${platform.webUrl}/api/v1/apps/matrix/formation/web`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 2 }),
    });
    expect(noOrigin.status).toBe(403);
    expect(await auditCount()).toBe(before);
    const read = await fetch(`${platform.webUrl}/api/v1/apps/matrix`, { headers: { cookie } });
    expect(read.status).toBe(200);
    // The auth endpoints check the Origin too: a page elsewhere cannot sign anyone in or out.
    const foreignSignIn = await fetch(`${platform.webUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ email: platform.owner.email, password: platform.owner.password }),
    });
    expect(foreignSignIn.status).toBe(403);
    expect(foreignSignIn.headers.getSetCookie()).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  const apiRoot = join(REPO_ROOT, 'apps/web/src/app/api/v1');

  /** Every route file under /api/v1 and the methods it exports, as OpenAPI paths ("[name]" → "{name}"). */
  function routesOnDisk(): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name === 'route.ts') {
          const url = `/api/v1/${relative(apiRoot, dir)}`.replace(/\/$/, '').replace(/\[(\w+)\]/g, '{$1}');
          for (const m of readFileSync(path, 'utf8').matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) {
            found.push(`${m[1]?.toLowerCase()} ${url}`);
          }
        }
      }
    };
    walk(apiRoot);
    return found.sort();
  }

  it('is served, and describes exactly the routes the API has', async () => {
    const res = await fetch(`${platform.webUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).toEqual(routesOnDisk());
  });

  it("every operation above a viewer's role refuses a viewer with 403, as documented", async () => {
    const doc = (await (await fetch(`${platform.webUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-least-role'?: string; requestBody?: unknown }>>;
    };
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op['x-least-role'] || op['x-least-role'] === 'viewer') continue;
        const url = path
          .replace('{name}', 'matrix')
          .replace('{type}', 'web')
          .replace(/\{(id|userId)\}/g, randomUUID())
          .replace('{hostname}', 'www.example.com');
        const res = await platform.api(method.toUpperCase(), url, op.requestBody ? {} : undefined, people.viewer.token);
        expect(res.status, `${method} ${url}: ${res.text}`).toBe(403);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('abuse', () => {
  it('repeated wrong passwords are slowed, then refused with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) {
      const res = await fetch(`${platform.webUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: platform.webUrl },
        body: JSON.stringify({ email: viewer.email, password: `wrong-password-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a body over 1 MiB → 413 and no app', async () => {
    const huge = JSON.stringify({ name: 'huge', repoUrl: 'https://github.com/a/b', pad: 'x'.repeat(2 * 1024 * 1024) });
    const res = await platform.api('POST', '/api/v1/apps', huge, people.admin.token);
    expect(res.status).toBe(413);
    expect(await platform.db.app.count({ where: { name: 'huge' } })).toBe(0);
  });

  it('sign-up is closed: accounts come from setup and invitations only', async () => {
    const res = await fetch(`${platform.webUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: platform.webUrl },
      body: JSON.stringify({ email: 'walk-in@example.test', password: 'long-enough-password', name: 'x' }),
    });
    expect(res.status).toBe(404);
    expect(await platform.db.user.count({ where: { email: 'walk-in@example.test' } })).toBe(0);
  });

  // Last: it locks this test's address out of the API for the rest of the window.
  it('repeated bad tokens are slowed, then refused with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await platform.api('GET', '/api/v1/apps', undefined, `paas_wrong${i}`)).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

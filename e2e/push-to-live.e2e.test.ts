import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  pushPayload,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  waitForRelay,
  waitUntil,
} from '@paas/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';

// The first loop, end to end on the local provider: create an app for a bare
// repository, push, send GitHub's signed webhook, and see the new text through
// the router; then scale it with the dashboard's slider in Chromium.
describe('push to live', () => {
  let platform: RunningPlatform;
  let browser: Browser | undefined;
  const repos: BareRepo[] = [];
  const newRepo = async (): Promise<BareRepo> => {
    const repo = await createBareRepo();
    repos.push(repo);
    return repo;
  };
  const app = 'e2e-shop';
  const host = `${app}.localhost`;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await Promise.all(repos.map((r) => r.remove()));
  });

  async function push(repo: Awaited<ReturnType<typeof createBareRepo>>, text: string) {
    const sha = await repo.commit(sampleAppFiles({ text }), `serve ${text}`);
    const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha, message: `serve ${text}` }));
    const delivery = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body,
    });
    expect(delivery.status, JSON.stringify(delivery.json)).toBe(202);
    expect(delivery.json.status).toBe('received');
    return { sha, body, delivery };
  }

  it('deploys a pushed commit, then a second one without dropping a request', async () => {
    const repo = await newRepo();
    const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' });
    expect(created.status, created.text).toBe(201);

    // Before any release the router knows no such app.
    expect((await getViaRouter(platform.routerPort, host)).status).toBe(404);

    const first = await push(repo, 'hello from v1');
    await waitUntil(
      'v1 through the router',
      async () => (await getViaRouter(platform.routerPort, host)).body.includes('hello from v1'),
      120_000,
    );

    const detail = await platform.api('GET', `/api/v1/apps/${app}`);
    expect(detail.status).toBe(200);
    expect(detail.json.app.releases).toMatchObject([{ version: 1, status: 'active', commitSha: first.sha }]);
    expect(detail.json.app.formation).toMatchObject([{ type: 'web', quantity: 1 }]);
    expect(detail.json.app.instances).toMatchObject([{ processType: 'web', release: 1, health: 'healthy' }]);

    // Red/black: while v2 builds and starts, every request is answered by v1 or v2.
    const statuses = new Map<number, number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await getViaRouter(platform.routerPort, host).catch(() => ({ status: 0, body: '' }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await push(repo, 'hello from v2');
    await waitUntil(
      'v2 through the router',
      async () => (await getViaRouter(platform.routerPort, host)).body.includes('hello from v2'),
      120_000,
    );
    polling = false;
    await poller;
    expect([...statuses.keys()]).toEqual([200]);
    expect(statuses.get(200)).toBeGreaterThan(10);

    const after = await platform.api('GET', `/api/v1/apps/${app}`);
    expect(after.json.app.releases.map((r: { version: number; status: string }) => [r.version, r.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
  });

  it('ignores a redelivery of the same delivery id', async () => {
    const repo = await newRepo();
    await platform.api('POST', '/api/v1/apps', { name: 'e2e-redelivery', repoUrl: repo.url, branch: 'main' });
    const sha = await repo.commit(sampleAppFiles({ text: 'once' }), 'once');
    const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha }));
    const url = platform.webhookUrl;
    const secret = platform.secrets.GITHUB_WEBHOOK_SECRET;
    const first = await sendGithubDelivery({ url, secret, event: 'push', body });
    expect(first.status).toBe(202);
    const again = await sendGithubDelivery({ url, secret, event: 'push', body, deliveryId: first.deliveryId });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('duplicate');
    expect((await waitForRelay(platform.db, first.deliveryId)).deployments).toHaveLength(1);
    const appRow = await platform.db.app.findUniqueOrThrow({ where: { name: 'e2e-redelivery' } });
    expect(await platform.db.deployment.count({ where: { appId: appRow.id } })).toBe(1);
  });

  it('scales with the dashboard slider in Chromium', async () => {
    browser = await launchChromium(chromium);
    const page = await browser.newPage();
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(platform.owner.email);
    await page.getByLabel('Password').fill(platform.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.webUrl}/`);
    await page.getByRole('link', { name: new RegExp(app) }).click();
    await page.waitForURL(`**/apps/${app}`);

    await expect.poll(() => page.getByTestId('healthy-web').textContent(), { timeout: 30_000 }).toBe('1 healthy');
    const slider = page.getByRole('slider', { name: 'web quantity' });
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('quantity-web').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('healthy-web').textContent(), { timeout: 60_000 }).toBe('3 healthy');

    // The API and the cloud agree with the page: three healthy web processes.
    await waitUntil(
      'three healthy instances',
      async () => {
        const res = await platform.api('GET', `/api/v1/apps/${app}`);
        const healthy = res.json.app.instances.filter((i: { health: string }) => i.health === 'healthy');
        return res.json.app.formation[0].quantity === 3 && healthy.length === 3;
      },
      60_000,
    );

    const artifacts = join(REPO_ROOT, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'app-page.png'), fullPage: true });

    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('healthy-web').textContent(), { timeout: 60_000 }).toBe('1 healthy');
    expect((await getViaRouter(platform.routerPort, host)).body).toContain('hello from v2');
  });
});

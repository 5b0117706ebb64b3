import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedInPage } from './browser';

// The release model from the dashboard, in Chromium: deploy, follow the build
// log, config vars, rollback with a confirmation, runtime logs, cancel, delete.
describe('dashboard: releases', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let repo: BareRepo;
  let v1: string;
  const app = 'dash';
  const host = `${app}.localhost`;
  const artifacts = join(REPO_ROOT, 'artifacts');

  const serves = (text: string, path = '/') =>
    waitUntil(
      `"${text}" at ${path}`,
      async () => (await getViaRouter(platform.routerPort, host, path)).body === text,
      120_000,
      100,
    );

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    platform = await startPlatform();
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' })).status).toBe(201);
    v1 = await repo.commit(sampleAppFiles({ text: 'dash v1' }), 'first version');
    await platform.api('POST', `/api/v1/apps/${app}/deploys`);
    await serves('dash v1');

    browser = await launchChromium(chromium);
    page = await signedInPage(browser, platform);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await repo?.remove();
  });

  it('deploys with the Deploy button and streams the build log while it runs', async () => {
    const build = 'for i in 1 2 3 4 5; do echo "compiling part $i"; sleep 1; done';
    await repo.commit(sampleAppFiles({ text: 'dash v2', scripts: { build } }), 'second version');
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\//);
    const log = page.getByTestId('build-log');
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain('compiling part 1');
    // Still building when the first lines showed: the log streamed, it did not arrive at the end.
    expect(await page.getByTestId('build-log-state').textContent()).toBe('live');
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain('-----> Build succeeded');
    await expect.poll(() => page.getByTestId('deployment-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await page.screenshot({ path: join(artifacts, 'deployment-page.png'), fullPage: true });
    await serves('dash v2');
  });

  it('sets a config var, masked until revealed, then edits it; the app sees each value', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByLabel('New config var name').fill('GREETING');
    await page.getByLabel('New config var value').fill('hello from the dashboard');
    await page.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Saved.');
    const row = page.getByTestId('config-GREETING');
    await expect.poll(() => row.textContent()).toContain('••••••••');
    expect(await row.textContent()).not.toContain('hello from the dashboard');
    await page.getByRole('button', { name: 'Reveal GREETING' }).click();
    await expect.poll(() => page.getByTestId('value-GREETING').textContent()).toBe('hello from the dashboard');
    await serves('hello from the dashboard', '/__env/GREETING');

    await page.getByRole('button', { name: 'Edit GREETING' }).click();
    await page.getByLabel('value of GREETING').fill('edited');
    await page.getByTestId('config-GREETING').getByRole('button', { name: 'Save' }).click();
    await serves('edited', '/__env/GREETING');
  });

  it('adds a custom domain, served through the router once ready, and removes it', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByLabel('custom domain').fill('Shop.Example.NET');
    await page.getByRole('button', { name: 'Add domain' }).click();
    const status = page.getByTestId('domain-status-shop.example.net');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('served');
    const expected = (await getViaRouter(platform.routerPort, host, '/')).body;
    await expect
      .poll(async () => (await getViaRouter(platform.routerPort, 'shop.example.net', '/')).body, { timeout: 30_000 })
      .toBe(expected);
    await page.getByLabel('custom domain').fill('not a hostname');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect.poll(() => page.getByTestId('domains').getByRole('alert').textContent()).toContain('not a valid hostname');
    await page.screenshot({ path: join(artifacts, 'app-domains.png'), fullPage: true });
    await page.getByTestId('domain-shop.example.net').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByTestId('domain-shop.example.net').count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(async () => (await getViaRouter(platform.routerPort, 'shop.example.net', '/')).status, { timeout: 30_000 })
      .toBe(404);
  });

  it('sets the health check the next release uses, and lists the cloud accounts', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    const form = page.getByTestId('health-check');
    await form.getByLabel('Health check path').fill('/health');
    await form.getByRole('button', { name: 'Update health check' }).click();
    await expect.poll(() => form.textContent()).toContain('the next release uses it');
    const api = await platform.api('GET', `/api/v1/apps/${app}`);
    expect(api.json.app.healthCheck).toEqual({ path: '/health' });
    await page.goto(`${platform.webUrl}/cloud-accounts`);
    await expect.poll(() => page.getByTestId('cloud-account-local').textContent()).toContain('verified');
  });

  it('changes a process type’s size, which rolls out as a release', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByLabel('web instance size').selectOption('medium');
    await page.waitForURL(/\/deployments\//);
    await expect.poll(() => page.getByTestId('deployment-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await serves('1024', '/__env/MEMORY_AVAILABLE');
    expect(await page.getByTestId('deployment-title').textContent()).toBe('Resize web to medium');
  });

  it('rolls back from the release list after a confirmation that names the exact commit', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to v1' });
    await expect.poll(() => dialog.textContent()).toContain(v1.slice(0, 12));
    await page.screenshot({ path: join(artifacts, 'rollback-confirmation.png'), fullPage: true });
    await dialog.getByRole('button', { name: `Roll back to ${v1.slice(0, 7)}` }).click();
    await page.waitForURL(/\/deployments\//);
    await expect.poll(() => page.getByTestId('deployment-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await serves('dash v1');
    expect((await getViaRouter(platform.routerPort, host, '/__env/GREETING')).status).toBe(404);
  });

  it('shows the runtime log of the app', async () => {
    await getViaRouter(platform.routerPort, host, '/__log/seen%20in%20the%20dashboard');
    await page.goto(`${platform.webUrl}/apps/${app}`);
    // Before it is scrolled to, the log is not read at all (an open page costs the cloud nothing).
    expect(await page.getByTestId('runtime-log-state').textContent()).toBe('loading…');
    await page.getByTestId('runtime-log').scrollIntoViewIfNeeded();
    await expect
      .poll(() => page.getByTestId('runtime-log').textContent(), { timeout: 30_000 })
      .toContain('seen in the dashboard');
    expect(await page.getByTestId('runtime-log').textContent()).toMatch(/app\[web\.\d+\]: listening on/);
    await page.screenshot({ path: join(artifacts, 'app-page-releases.png'), fullPage: true });
  });

  it('cancels a hanging build from its deployment page', async () => {
    const hang = await repo.commit(
      sampleAppFiles({ text: 'never', scripts: { build: 'echo waiting forever; sleep 600' } }),
      'hangs',
    );
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByLabel('Branch, tag or commit to deploy').fill(hang);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\//);
    await expect.poll(() => page.getByTestId('build-log').textContent(), { timeout: 60_000 }).toContain('waiting forever');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('deployment-state').textContent(), { timeout: 60_000 }).toBe('canceled');
    expect((await getViaRouter(platform.routerPort, host)).body).toBe('dash v1');
  });

  it('deletes the app after its name is typed', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    const button = page.getByRole('button', { name: 'Delete app' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel(/Type .* to delete the app/).fill(app);
    await button.click();
    await page.waitForURL(`${platform.webUrl}/`);
    await waitUntil('the app to be gone', async () => (await platform.api('GET', `/api/v1/apps/${app}`)).status === 404, 60_000);
    expect((await getViaRouter(platform.routerPort, host)).status).toBe(404);
  });
});

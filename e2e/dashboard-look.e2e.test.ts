import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  addMember,
  type BareRepo,
  createBareRepo,
  getViaRouter,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';

type Account = { email: string; password: string };

// How the dashboard looks, in Chromium: dark when the system is, no sideways
// scrolling on a phone, controls a role may not use shown disabled with the
// role they need, and a page that says so when an app is not there.
describe('dashboard: dark mode, phone layout, roles and missing pages', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let repo: BareRepo;
  let deploymentPath = '';
  const app = 'looks';
  const artifacts = join(REPO_ROOT, 'artifacts');
  const PHONE = { width: 375, height: 812 };

  /** A page in a fresh browser context (its own cookies, colour scheme and screen), signed in as `account`. */
  async function pageAs(account: Account, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${platform.webUrl}/login`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.webUrl}/`);
    return page;
  }

  /** The relative luminance (0 black … 1 white) of an element's background and text colours, whatever notation CSS gives. */
  const colours = (locator: Locator) =>
    locator.evaluate((el) => {
      const canvas = document.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      const luminance = (colour: string) => {
        g.clearRect(0, 0, 1, 1);
        g.fillStyle = colour;
        g.fillRect(0, 0, 1, 1);
        const [r, gr, b] = Array.from(g.getImageData(0, 0, 1, 1).data.slice(0, 3), (v) => {
          const c = v / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        }) as [number, number, number];
        return 0.2126 * r + 0.7152 * gr + 0.0722 * b;
      };
      const style = getComputedStyle(el);
      return { background: luminance(style.backgroundColor), text: luminance(style.color) };
    });

  /** Goes to `path` and waits until the page itself shows, not its loading skeleton (React reveals it a moment after load). */
  async function open(page: Page, path: string) {
    const response = await page.goto(`${platform.webUrl}${path}`);
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    return response;
  }

  const overflow = (page: Page) =>
    page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    platform = await startPlatform();
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' })).status).toBe(201);
    expect(
      (await platform.api('PATCH', `/api/v1/apps/${app}/config`, { GREETING: 'hello', API_KEY: 'kept-secret' })).status,
    ).toBe(202);
    await repo.commit(sampleAppFiles({ text: 'looks v1' }), 'first version');
    const deploy = await platform.api('POST', `/api/v1/apps/${app}/deploys`);
    expect(deploy.status).toBe(202);
    deploymentPath = `/apps/${app}/deployments/${deploy.json.deployment.id}`;
    await waitUntil(
      'the app to serve',
      async () => (await getViaRouter(platform.routerPort, `${app}.localhost`, '/')).body === 'looks v1',
      120_000,
      200,
    );
    // An app without anything deployed, for the empty states.
    expect((await platform.api('POST', '/api/v1/apps', { name: 'empty' })).status).toBe(201);
    browser = await launchChromium(chromium);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await repo?.remove();
  });

  it('follows a light system setting: light background, dark text', async () => {
    const page = await pageAs(platform.owner, { colorScheme: 'light' });
    for (const [path, name] of [
      ['/', 'apps'],
      [`/apps/${app}`, 'app'],
      [deploymentPath, 'deployment'],
      ['/apps/empty', 'app-empty'],
    ] as const) {
      await open(page, path);
      const { background, text } = await colours(page.locator('body'));
      expect(background, `${path} background`).toBeGreaterThan(0.8);
      expect(text, `${path} text`).toBeLessThan(0.1);
      await page.screenshot({ path: join(artifacts, `look-${name}-light.png`), fullPage: true });
    }
    await page.context().close();
  });

  it('follows a dark system setting: dark background, light text, on the apps, app and deployment pages', async () => {
    const page = await pageAs(platform.owner, { colorScheme: 'dark' });
    for (const [path, name] of [
      ['/', 'apps'],
      [`/apps/${app}`, 'app'],
      [deploymentPath, 'deployment'],
      ['/apps/empty', 'app-empty'],
      ['/team', 'team'],
      ['/audit', 'audit'],
      ['/account', 'account'],
    ] as const) {
      await open(page, path);
      const { background, text } = await colours(page.locator('body'));
      expect(background, `${path} background`).toBeLessThan(0.05);
      expect(text, `${path} text`).toBeGreaterThan(0.7);
      await page.screenshot({ path: join(artifacts, `look-${name}-dark.png`), fullPage: true });
    }
    // Cards and inputs are dark too, not white boxes on a dark page.
    await open(page, `/apps/${app}`);
    for (const locator of [
      page.getByTestId('config-vars'),
      page.getByLabel('New config var name'),
      page.getByTestId('releases'),
    ]) {
      expect((await colours(locator)).background).toBeLessThan(0.05);
    }
    await page.context().close();
  });

  it('fits a 375 px phone: no page scrolls sideways, the nav wraps, the slider is big enough to touch', async () => {
    const page = await pageAs(platform.owner, { viewport: PHONE, hasTouch: true });
    for (const [path, name] of [
      ['/', 'apps'],
      [`/apps/${app}`, 'app'],
      ['/team', 'team'],
      ['/audit', 'audit'],
      ['/account', 'account'],
      [deploymentPath, 'deployment'],
      ['/cloud-accounts', 'cloud-accounts'],
    ] as const) {
      await open(page, path);
      const { scrollWidth, innerWidth } = await overflow(page);
      expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${innerWidth} px screen`).toBeLessThanOrEqual(innerWidth);
      await page.screenshot({ path: join(artifacts, `look-${name}-phone.png`), fullPage: true });
    }
    const nav = await page.getByTestId('main-nav').boundingBox();
    expect(nav?.width ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(PHONE.width);

    await open(page, `/apps/${app}`);
    await page.getByLabel('web quantity').waitFor();
    const slider = await page.getByLabel('web quantity').boundingBox();
    expect(slider?.height ?? 0).toBeGreaterThanOrEqual(32);
    expect(slider?.width ?? 0).toBeGreaterThanOrEqual(120);
    // Forms take the whole width of a phone.
    const field = await page.getByLabel('New config var name').boundingBox();
    expect(field?.width ?? 0).toBeGreaterThan(PHONE.width / 2);
    await page.context().close();
  });

  it('a viewer sees the deploy button, the slider and the config controls disabled, each naming the role it needs', async () => {
    const viewer = await addMember(platform, 'viewer');
    const page = await pageAs(viewer);
    await open(page, `/apps/${app}`);
    await page.getByText('You are a viewer in this team').waitFor();

    const member = 'Needs the member role';
    const admin = 'Needs the admin role';
    const expectDisabled = async (locator: Locator, title: string) => {
      expect(await locator.isDisabled()).toBe(true);
      expect(await locator.getAttribute('title')).toBe(title);
    };
    await expectDisabled(page.getByRole('button', { name: 'Deploy' }), member);
    await expectDisabled(page.getByLabel('Branch, tag or commit to deploy'), member);
    await expectDisabled(page.getByLabel('web quantity'), member);
    await expectDisabled(page.getByLabel('web instance size'), member);
    await expectDisabled(page.getByLabel('New config var name'), admin);
    await expectDisabled(page.getByLabel('New config var value'), admin);
    await expectDisabled(page.getByRole('button', { name: 'Set' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Edit GREETING' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Remove GREETING' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Add domain' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Update health check' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Save directory' }), admin);
    await expectDisabled(page.getByRole('button', { name: 'Delete app' }), admin);
    // Reading stays open to a viewer: values are masked by the server, not by a disabled button.
    expect(await page.getByRole('button', { name: 'Reveal GREETING' }).isEnabled()).toBe(true);
    expect(await page.content()).not.toContain('kept-secret');
    await page.screenshot({ path: join(artifacts, 'look-app-viewer.png'), fullPage: true });
    // The server refuses all the same: a button enabled in the browser's own tools gets the refusal, no deployment.
    const deployments = await platform.db.deployment.count();
    const deploy = page.getByRole('button', { name: 'Deploy' });
    await deploy.evaluate((button) => button.removeAttribute('disabled'));
    await deploy.click();
    await page.getByText(/your role in this team \(viewer\) cannot do this/).waitFor();
    expect(await platform.db.deployment.count()).toBe(deployments);
    await page.context().close();
  });

  it('a member may deploy and scale; the config controls are disabled for admins, and the server refuses them anyway', async () => {
    const member = await addMember(platform, 'member');
    const page = await pageAs(member);
    await open(page, `/apps/${app}`);
    expect(await page.getByRole('button', { name: 'Deploy' }).isEnabled()).toBe(true);
    expect(await page.getByLabel('web quantity').isEnabled()).toBe(true);
    const name = page.getByLabel('New config var name');
    const value = page.getByLabel('New config var value');
    const set = page.getByRole('button', { name: 'Set' });
    for (const control of [name, value, set]) {
      expect(await control.isDisabled()).toBe(true);
      expect(await control.getAttribute('title')).toBe('Needs the admin role');
      // As the browser's own tools could: the server still refuses.
      await control.evaluate((el) => el.removeAttribute('disabled'));
    }
    await name.fill('FROM_MEMBER');
    await value.fill('nope');
    await set.click();
    await page.getByText(/your role in this team \(member\) cannot do this; it needs admin or above/).waitFor();
    expect(await platform.db.configVar.count({ where: { key: 'FROM_MEMBER' } })).toBe(0);
    await page.context().close();
  });

  it('signed out, the pages with a loading skeleton still answer with a redirect to the sign-in page, not a skeleton', async () => {
    for (const path of ['/', `/apps/${app}`, deploymentPath]) {
      const res = await fetch(`${platform.webUrl}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(307);
      expect(new URL(res.headers.get('location') ?? '', platform.webUrl).pathname, path).toBe('/login');
    }
  });

  it('an app that does not exist shows a page that says so, with the way back to the apps', async () => {
    const page = await pageAs(platform.owner);
    await page.goto(`${platform.webUrl}/apps/no-such-app`);
    const notFound = page.getByTestId('app-not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain('There is no app called no-such-app in your team');
    expect(await notFound.getByRole('link', { name: 'See your apps' }).getAttribute('href')).toBe('/');
    await page.screenshot({ path: join(artifacts, 'look-app-not-found.png'), fullPage: true });

    await page.goto(`${platform.webUrl}/apps/${app}/deployments/dep_missing`);
    await page.getByTestId('deployment-not-found').waitFor();

    await page.getByRole('link', { name: 'See your apps' }).click();
    await page.waitForURL(`${platform.webUrl}/`);
    await page.getByTestId('apps-list').waitFor();
    await page.context().close();
  });
});

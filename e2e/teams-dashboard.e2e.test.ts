import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addMember, REPO_ROOT, type RunningPlatform, startPlatform } from '@paas/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedInPage } from './browser';

// Teams in the dashboard, in Chromium: the first owner sets the platform up,
// invites a viewer by link, the viewer joins and is refused changes, sessions
// end on sign-out and when revoked elsewhere.
describe('dashboard: sign-in, teams and roles', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  const artifacts = join(REPO_ROOT, 'artifacts');
  const viewer = { email: 'viewer@example.test', password: 'viewer-password-1' };
  let inviteLink = '';

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    platform = await startPlatform();
    expect(
      (await platform.api('POST', '/api/v1/apps', { name: 'shared', repoUrl: 'https://github.com/acme/shared' })).status,
    ).toBe(201);
    expect((await platform.api('PATCH', '/api/v1/apps/shared/config', { API_KEY: 'top-secret-value' })).status).toBe(202);
    browser = await launchChromium(chromium);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the sign-in page refuses a wrong password and shows text, not markup', async () => {
    const page = await browser.newPage();
    await page.goto(`${platform.webUrl}/apps/shared`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(platform.owner.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password.').waitFor();
    await page.screenshot({ path: join(artifacts, 'sign-in.png'), fullPage: true });
    await page.close();
  });

  it('the owner invites a viewer by link from the team page', async () => {
    const page = await signedInPage(browser, platform);
    await page.goto(`${platform.webUrl}/team`);
    await expect.poll(() => page.getByTestId('my-role').textContent()).toBe('owner');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    inviteLink = (await page.getByTestId('invite-link').textContent()) ?? '';
    expect(inviteLink).toMatch(/\/invite\/inv_/);
    await page.screenshot({ path: join(artifacts, 'team.png'), fullPage: true });
    await page.close();
  });

  it('the viewer accepts, lands in the team and is refused every change', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(inviteLink);
    await expect.poll(() => page.getByTestId('invite-role').textContent()).toContain('viewer');
    await page.screenshot({ path: join(artifacts, 'invitation.png'), fullPage: true });
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password (10 characters or more)').fill(viewer.password);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.waitForURL(`${platform.webUrl}/`);

    await page.goto(`${platform.webUrl}/apps/shared`);
    // Config values stay hidden from a viewer.
    expect(await page.content()).not.toContain('top-secret-value');
    // The Deploy button is disabled for a viewer, naming the role it needs; the server refuses all the same.
    const deploy = page.getByRole('button', { name: 'Deploy' });
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.getAttribute('title')).toBe('Needs the member role');
    await deploy.evaluate((button) => button.removeAttribute('disabled'));
    await deploy.click();
    await page.getByText(/your role in this team \(viewer\) cannot do this/).waitFor();
    await page.screenshot({ path: join(artifacts, 'viewer-refused.png'), fullPage: true });
    expect(await platform.db.deployment.count()).toBe(0);

    await page.goto(`${platform.webUrl}/audit`);
    await page.getByText(/for the team's admins/).waitFor();

    // The same link works once.
    const again = await (await browser.newContext()).newPage();
    await again.goto(inviteLink);
    await again.getByText(/not valid any more/).waitFor();
    await context.close();
  });

  it('a member deploys from the dashboard but is refused config vars; an admin sets them', async () => {
    const member = await addMember(platform, 'member');
    const page = await signedInPage(browser, platform, member);
    await page.goto(`${platform.webUrl}/apps/shared`);
    // Config vars are an admin's: shown disabled, naming the role; the server refuses all the same.
    for (const control of [
      page.getByLabel('New config var name'),
      page.getByLabel('New config var value'),
      page.getByRole('button', { name: 'Set' }),
    ]) {
      expect(await control.isDisabled()).toBe(true);
      expect(await control.getAttribute('title')).toBe('Needs the admin role');
      await control.evaluate((el) => el.removeAttribute('disabled'));
    }
    await page.getByLabel('New config var name').fill('FROM_MEMBER');
    await page.getByLabel('New config var value').fill('nope');
    await page.getByRole('button', { name: 'Set' }).click();
    await page.getByText(/your role in this team \(member\) cannot do this; it needs admin or above/).waitFor();
    expect(await platform.db.configVar.count({ where: { key: 'FROM_MEMBER' } })).toBe(0);
    // Deploying is a member's: the dashboard goes to the new deployment's page.
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\//);
    await page.close();

    const admin = await addMember(platform, 'admin');
    const adminPage = await signedInPage(browser, platform, admin);
    // An admin creates apps from the apps page: this one takes git push only.
    await adminPage.getByLabel('App name').fill('made-here');
    await adminPage.getByRole('button', { name: 'Create app' }).click();
    await adminPage.waitForURL(/\/apps\/made-here$/);
    await adminPage.getByText('no repository: git push to deploy').waitFor();
    await adminPage.goto(`${platform.webUrl}/apps/shared`);
    await adminPage.getByLabel('New config var name').fill('FROM_ADMIN');
    await adminPage.getByLabel('New config var value').fill('yes');
    await adminPage.getByRole('button', { name: 'Set' }).click();
    await adminPage.getByTestId('config-FROM_ADMIN').waitFor();
    // An admin cannot make anyone owner: only an owner grants that.
    await adminPage.goto(`${platform.webUrl}/team`);
    await adminPage.getByLabel(`Role of ${member.email}`).selectOption('owner');
    await adminPage.getByText('your role (admin) cannot grant owner: ask someone who is owner').waitFor();
    expect((await platform.db.membership.findFirstOrThrow({ where: { user: { email: member.email } } })).role).toBe('member');
    await adminPage.close();
  });

  it('the owner sees who did what in the audit log, filterable, with config values masked', async () => {
    const page = await signedInPage(browser, platform);
    await page.goto(`${platform.webUrl}/audit?app=shared`);
    const table = page.getByTestId('audit');
    await expect.poll(() => table.textContent()).toContain('config.update');
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('API_KEY');
    expect(text).not.toContain('top-secret-value');
    expect(text).not.toContain('member.join');
    await page.screenshot({ path: join(artifacts, 'audit-log.png'), fullPage: true });
    // The other pages an owner sees, for the record.
    for (const [path, file] of [
      ['/', 'apps.png'],
      ['/apps/shared', 'app.png'],
      ['/cloud-accounts', 'cloud-accounts.png'],
      ['/github', 'github.png'],
    ] as const) {
      await page.goto(`${platform.webUrl}${path}`);
      await page.screenshot({ path: join(artifacts, file), fullPage: true });
    }
    await page.goto(`${platform.webUrl}/audit?action=member.`);
    await expect.poll(() => page.getByTestId('audit').textContent()).toContain(viewer.email);
    await page.close();
  });

  it('markup in an app name, a config value or a filter is shown as text, never run', async () => {
    const res = await platform.api('POST', '/api/v1/apps', { name: '<img src=x onerror=alert(1)>', repoUrl: 'https://x.test/r' });
    expect(res.status).toBe(422);
    const markup = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    expect((await platform.api('PATCH', '/api/v1/apps/shared/config', { HTML: markup })).status).toBe(202);
    const page = await signedInPage(browser, platform);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    await page.goto(`${platform.webUrl}/apps/shared`);
    await page.getByTestId('config-HTML').getByRole('button', { name: 'Reveal HTML' }).click();
    expect(await page.getByTestId('value-HTML').textContent()).toBe(markup);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.goto(`${platform.webUrl}/audit?actor=${encodeURIComponent('<script>alert(1)</script>')}`);
    await expect.poll(() => page.getByLabel('Who').inputValue()).toBe('<script>alert(1)</script>');
    expect(dialogs).toBe(0);
    await page.close();
  });

  it('the apps and app pages update when something changes elsewhere, without a reload', async () => {
    const page = await signedInPage(browser, platform);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    expect((await platform.api('POST', '/api/v1/apps', { name: 'appears-live' })).status).toBe(201);
    await page.getByText('appears-live').waitFor({ timeout: 15_000 });
    await page.goto(`${platform.webUrl}/apps/shared`);
    expect((await platform.api('PATCH', '/api/v1/apps/shared/config', { LIVE_KEY: 'x' })).status).toBe(202);
    await page.getByTestId('config-LIVE_KEY').waitFor({ timeout: 15_000 });
    // One event stream per page; the page itself is fetched again only on a change, not on a timer.
    const before = requests.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(requests.slice(before).filter((p) => p === '/apps/shared')).toEqual([]);
    await page.close();
  });

  it('tokens are made and revoked on the account page; sign-out and revoked sessions end access', async () => {
    // Two sessions of the viewer, each a browser context of its own. B makes
    // a token, then signs out every other session.
    const a = await signedInPage(browser, platform, viewer);
    const b = await signedInPage(browser, platform, viewer);
    await b.goto(`${platform.webUrl}/account`);
    await b.getByLabel('Token name').fill('laptop');
    await b.getByRole('button', { name: 'Create token' }).click();
    const token = (await b.getByTestId('new-token').textContent()) ?? '';
    expect(token).toMatch(/^paas_/);
    const me = await platform.api('GET', '/api/v1/me', undefined, token);
    expect(me.json).toMatchObject({ role: 'viewer', user: { email: viewer.email } });
    await b.screenshot({ path: join(artifacts, 'account.png'), fullPage: true });
    await b.getByRole('button', { name: 'Revoke laptop' }).click();
    await expect.poll(async () => (await platform.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);

    await b.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect
      .poll(async () => {
        await a.goto(`${platform.webUrl}/apps/shared`);
        return new URL(a.url()).pathname;
      })
      .toBe('/login');

    await b.getByRole('button', { name: 'Sign out', exact: true }).click();
    await b.waitForURL('**/login');
    await b.goto(`${platform.webUrl}/account`);
    await b.waitForURL('**/login');
    await a.close();
    await b.close();
  });
});

import { existsSync } from 'node:fs';
import type { Browser, BrowserType } from 'playwright-core';

// Debian's Chromium, driven by Playwright: browsers cannot be downloaded here,
// and the platform's users run the same system package.
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export async function launchChromium(chromium: BrowserType) {
  const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A Chromium page signed in to the platform's dashboard (as its owner, unless another account is given). */
export async function signedInPage(
  browser: Browser,
  platform: { webUrl: string; owner: { email: string; password: string } },
  account: { email: string; password: string } = platform.owner,
) {
  const page = await browser.newPage();
  await page.goto(`${platform.webUrl}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${platform.webUrl}/`);
  return page;
}

import { chromiumLaunchOptions } from '@paas/testing';
import type { Browser, BrowserType } from 'playwright-core';

export async function launchChromium(chromium: BrowserType) {
  return chromium.launch(chromiumLaunchOptions());
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

// Chromium for the dashboard benchmark: Debian's package driven by Playwright,
// launched as the e2e tests launch it (e2e/browser.ts), with the owner's
// session cookie set on each fresh context.
import { chromiumLaunchOptions } from '@paas/testing';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** A fresh context (empty cache) signed in with `cookie` (`name=value`, as signIn answers it). */
export async function signedInContext(browser: Browser, webUrl: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const eq = cookie.indexOf('=');
  await context.addCookies([
    { name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: webUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
  return context;
}

export interface LcpSample {
  lcpMs: number;
  element: string;
  responseEndMs: number;
  loadMs: number;
}

// Runs in the page (a string: this package is type-checked without the DOM's types).
// Candidates stop at the first input; none comes here, so after load plus a quiet second the last one is final.
const LCP_SCRIPT = `new Promise((resolve) => {
  let last = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) last = entry;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const el = last && last.element;
    const id = el && el.getAttribute('data-testid');
    resolve({
      lcpMs: last ? last.startTime : NaN,
      element: el ? el.tagName.toLowerCase() + (id ? '[' + id + ']' : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"' : 'none',
      responseEndMs: nav ? nav.responseEnd : NaN,
      loadMs: nav ? nav.loadEventEnd : NaN,
    });
  }, 1000);
})`;

/** One cold navigation (a new context: no cache) to `url`; its Largest Contentful Paint. */
export async function measureLcp(browser: Browser, webUrl: string, cookie: string, url: string): Promise<LcpSample> {
  const context = await signedInContext(browser, webUrl, cookie);
  try {
    const page = await context.newPage();
    const res = await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    if (res?.status() !== 200 || page.url() !== url) {
      throw new Error(`navigation to ${url} ended at ${page.url()} (${res?.status()})`);
    }
    return (await page.evaluate(LCP_SCRIPT)) as LcpSample;
  } finally {
    await context.close();
  }
}

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

type Formation = {
  type: string;
  quantity: number;
  desired: number | null;
  healthy: number;
  autoscaling: { metric: string; target: number; min: number; max: number } | null;
};
type Metrics = {
  points: Array<{ requests: number; errorRate: number | null; p95Ms: number | null; instances: number | null }>;
  releases: Array<{ version: number }>;
};

// What a running app looks like from the dashboard: traffic charts from the
// router's counters with release markers, autoscaling set from the formation
// panel and acting on real load, and the settings refusing what cannot be.
describe('dashboard: metrics, autoscaling and settings', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let repo: BareRepo;
  const app = 'graphs';
  const host = `${app}.localhost`;
  const artifacts = join(REPO_ROOT, 'artifacts');

  const formation = async () => {
    const res = await platform.api('GET', `/api/v1/apps/${app}`);
    return (res.json as { app: { formation: Formation[] } }).app.formation.find((p) => p.type === 'web') as Formation;
  };
  const metrics = async () => {
    const res = await platform.api('GET', `/api/v1/apps/${app}/metrics?window=1h`);
    expect(res.status).toBe(200);
    return (res.json as { metrics: Metrics }).metrics;
  };
  // Every request the test sends through the router, as the router answered it. A 404 on these
  // paths is the router's "no such host" (before the route exists): it counts for no app.
  const sent = { requests: 0, errors: 0 };
  const viaRouter = async (path: string) => {
    const res = await getViaRouter(platform.routerPort, host, path);
    if (res.status !== 404) sent.requests++;
    if (res.status >= 500) sent.errors++;
    return res;
  };
  /** Requests through the router, `count` of them, `parallel` at a time. */
  const traffic = async (path: string, count: number, parallel = 4) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (started < count) {
          started++;
          await viaRouter(path);
        }
      }),
    );
  };

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    platform = await startPlatform();
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' })).status).toBe(201);
    await repo.commit(sampleAppFiles({ text: 'graphs v1' }), 'first version');
    await platform.api('POST', `/api/v1/apps/${app}/deploys`);
    await waitUntil('the app serves', async () => (await viaRouter('/')).body === 'graphs v1', 120_000, 100);
    browser = await launchChromium(chromium);
    page = await signedInPage(browser, platform);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await repo?.remove();
  });

  it('charts requests, 5xx and latency from the router, with a marker at the release', async () => {
    await traffic('/', 40);
    await traffic('/__status/500', 10);
    // The worker copies the router's counters into Postgres every couple of seconds here (30 s by default).
    const seen = await waitUntil(
      'the traffic in the metrics',
      async () => {
        const m = await metrics();
        const total = m.points.reduce((n, p) => n + p.requests, 0);
        return total >= sent.requests ? m : null;
      },
      60_000,
      250,
    );
    const requests = seen.points.reduce((n, p) => n + p.requests, 0);
    const errors = seen.points.reduce((n, p) => n + (p.errorRate ?? 0) * p.requests, 0);
    expect(requests).toBe(sent.requests);
    expect(Math.round(errors)).toBe(sent.errors);
    expect(sent.errors).toBe(10);
    expect(seen.points.some((p) => p.p95Ms !== null && p.p95Ms > 0)).toBe(true);
    expect(seen.points.some((p) => p.instances === 1)).toBe(true);
    expect(seen.releases.map((r) => r.version)).toEqual([1]);

    await page.goto(`${platform.webUrl}/apps/${app}`);
    const panel = page.getByTestId('metrics');
    await expect
      .poll(() => panel.getByTestId('metrics-summary').textContent())
      .toContain(`${sent.requests} requests in the last 1h`);
    for (const chart of ['chart-requests', 'chart-errors', 'chart-latency', 'chart-instances']) {
      // Drawn (a line path), with the release's marker labelled.
      await expect.poll(() => panel.getByTestId(chart).locator('.recharts-line-curve').count()).toBeGreaterThan(0);
      expect(await panel.getByTestId(chart).locator('.recharts-reference-line').count()).toBe(1);
      expect(await panel.getByTestId(chart).textContent()).toContain('v1');
    }
    await panel.getByRole('button', { name: '24h' }).click();
    await expect.poll(() => panel.getByRole('button', { name: '24h' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => panel.getByTestId('metrics-summary').textContent()).toContain('in the last 24h');
    await page.screenshot({ path: join(artifacts, 'app-metrics.png'), fullPage: true });
  });

  it('refuses autoscaling and quantities that cannot be, with what to do, and changes nothing', async () => {
    const before = await formation();
    const refused = async (body: unknown, message: RegExp) => {
      const res = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, body);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(message);
    };
    await refused({ autoscaling: { metric: 'cpu', target: 50, min: 3, max: 2 } }, /min must not be above max/);
    await refused({ autoscaling: { metric: 'cpu', target: 5, min: 1, max: 2 } }, /CPU target must be between 10 and 90/);
    await refused({ autoscaling: { metric: 'memory', target: 5, min: 1, max: 2 } }, /metric must be cpu or requests/);
    await refused({ autoscaling: { metric: 'requests', target: 60, min: 0, max: 2 } }, /min must be at least 1/);
    await refused({ quantity: 101 }, /at most 100/);
    expect(await formation()).toEqual(before);

    // With autoscaling on, the slider's range is min..max: a count outside it is refused.
    const on = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, {
      autoscaling: { metric: 'cpu', target: 60, min: 1, max: 2 },
    });
    expect(on.status).toBe(200);
    const set = await formation();
    await refused({ quantity: 5 }, /outside the autoscaling range 1–2/);
    expect(await formation()).toEqual(set);
    const audit = await platform.api('GET', '/api/v1/audit?action=formation.update');
    expect(audit.text).toContain('"metric":"cpu"');
  });

  it('autoscales on requests per instance, set from the formation panel, and serves from the new instances', async () => {
    await page.goto(`${platform.webUrl}/apps/${app}`);
    const form = page.getByTestId('autoscaling-web');
    if (!(await form.getByRole('checkbox').isChecked())) await form.getByRole('checkbox').check();
    await form.getByLabel('web autoscaling metric').selectOption('requests');
    await form.getByLabel('web autoscaling target').fill('30');
    await form.getByLabel('web autoscaling min').fill('1');
    await form.getByLabel('web autoscaling max').fill('3');
    await form.getByRole('button', { name: 'Save autoscaling' }).click();
    await expect.poll(() => form.textContent()).toContain('Saved');
    expect((await formation()).autoscaling).toEqual({ metric: 'requests', target: 30, min: 1, max: 3 });

    // Far above 30 requests per instance per minute: the local autoscaler adds instances up to max.
    const load = traffic('/', 600, 4);
    const scaled = await waitUntil(
      'the autoscaler to add instances',
      async () => {
        const f = await formation();
        return f.desired !== null && f.desired > 1 && f.healthy > 1 ? f : null;
      },
      90_000,
      250,
    );
    await load;
    expect(scaled.desired).toBeLessThanOrEqual(3);
    // The slider shows the bounds and the autoscaler's count.
    await page.reload();
    const slider = page.getByLabel('web quantity');
    expect(await slider.getAttribute('min')).toBe('1');
    expect(await slider.getAttribute('max')).toBe('3');
    await expect.poll(() => page.getByTestId('formation-web').textContent()).toMatch(/autoscaling on 30 requests/);
    // The count the autoscaler chose (it may still be climbing towards max).
    expect(Number(await slider.inputValue())).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('chart-instances').locator('.recharts-line-curve').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'app-autoscaling.png'), fullPage: true });

    // Back to a fixed count: the policy is removed from the group.
    await form.getByRole('checkbox').uncheck();
    await form.getByRole('button', { name: 'Save autoscaling' }).click();
    await expect.poll(async () => (await formation()).autoscaling).toBeNull();
  });

  it('keeps the cloud account once the app has been built, and says why', async () => {
    const move = (name: string, cloudAccount: string) => platform.api('PATCH', `/api/v1/apps/${name}`, { cloudAccount });
    const refused = (res: { status: number; text: string }, message: string) => {
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    };
    refused(await move(app, 'nowhere'), 'there is no cloud account named');
    const account = { name: 'elsewhere', provider: 'aws', region: 'eu-west-1' };
    // Settings the AWS provider could not run with are refused before anything is written.
    const bad = await platform.api('POST', '/api/v1/cloud-accounts', { ...account, settings: { sizes: ['huge'] } });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('sizes');
    const added = await platform.api('POST', '/api/v1/cloud-accounts', {
      ...account,
      settings: { baseDomain: 'apps.example.com', sizes: ['small', 'medium'] },
    });
    expect(added.status, added.text).toBe(201);
    refused(await move(app, 'elsewhere'), 'only before its first build');
    // A new app may move, once the account is known to work.
    const created = await platform.api('POST', '/api/v1/apps', { name: 'fresh', branch: 'main' });
    expect(created.status, created.text).toBe(201);
    refused(await move('fresh', 'elsewhere'), 'is not verified yet');
    // A hostname serves one app: taken by another app, it is refused where it was asked for, with what to do.
    expect((await platform.api('POST', '/api/v1/apps/fresh/domains', { hostname: 'www.taken.example' })).status).toBe(202);
    await page.goto(`${platform.webUrl}/apps/${app}`);
    await page.getByLabel('custom domain').fill('www.taken.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect
      .poll(() => page.getByTestId('domains').getByRole('alert').textContent())
      .toContain('www.taken.example is already added to an app (a hostname serves one app): remove it there first');
    expect(await page.getByTestId('domain-www.taken.example').count()).toBe(0);
    const fresh = (await platform.api('GET', '/api/v1/apps/fresh')).json as { app: { cloudAccount: string } };
    expect(fresh.app.cloudAccount).not.toBe('elsewhere');
  });

  it('pages a long apps list and finds an app by name', async () => {
    for (let i = 0; i < 55; i++) {
      const res = await platform.api('POST', '/api/v1/apps', { name: `many-${String(i).padStart(2, '0')}` });
      expect(res.status, res.text).toBe(201);
    }
    const total = (await platform.api('GET', '/api/v1/apps')).json.apps.length as number;
    expect(total).toBeGreaterThan(55);
    await page.goto(`${platform.webUrl}/`);
    await expect.poll(() => page.getByTestId('apps-range').textContent()).toBe(`1–50 of ${total}`);
    expect(await page.getByTestId('apps-list').locator('li').count()).toBe(50);
    await page.getByRole('link', { name: 'Next' }).click();
    await expect.poll(() => page.getByTestId('apps-range').textContent()).toBe(`51–${total} of ${total}`);
    await page.getByLabel('Find an app').fill('many-4');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('apps-list').locator('li').count()).toBe(10);
    expect(await page.getByTestId('apps-total').textContent()).toBe(`${total} total`);
    await page.getByLabel('Find an app').fill('nothing-like-this');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('apps-none-found').textContent()).toContain('nothing-like-this');
    await page.screenshot({ path: join(artifacts, 'apps-search.png'), fullPage: true });
  });
});

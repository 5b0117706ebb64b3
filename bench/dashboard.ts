// dashboard: the dashboard with 1,000 apps in one team, half on this machine
// and half in an AWS account (the AWS provider on moto), each with 20 releases
// and the rest of a real app's history, bulk-inserted (see dashboard-seed.ts);
// one of them is a real sample app deployed on the local provider.
//   apps_page_p95_ms       GET / (the apps page, body fully read), owner's session, ≥ 50 requests
//   app_page_p95_ms        GET /apps/<random app of either cloud>, ≥ 100 requests
//   lcp_ms                 Largest Contentful Paint of the apps page in Chromium, median of 5 cold navigations
//   slider_to_desired_ms   keyup of ArrowRight/ArrowLeft on the formation slider → the local provider's
//                          describeServerGroups reports the new desired count (polled every 20 ms), median of 5
//   provider_calls_per_page  AWS API calls made by the web process (counted by a proxy in front of moto
//                          that traces each connection to its process) plus the web process's file
//                          syscalls under the local provider's data dir (strace), per page rendered
// Page timings are taken with the worker running at its production intervals
// (reconcile every 5 s, traffic metrics every 30 s), as a real install runs.
// Then, where the apps page's time goes: the web process's CPU sampled through
// its inspector while it renders, the page's data read again from this process
// with the same core functions (each SQL statement timed, the slowest EXPLAINed),
// and the same list as one statement for comparison.
// Last line: {"bench":"dashboard","apps":1000,"apps_page_p95_ms":…,"app_page_p95_ms":…,"lcp_ms":…,"slider_to_desired_ms":…,"provider_calls_per_page":…}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCloudInventory } from '@paas/cloud/inventory';
import { createLocalProvider } from '@paas/cloud/local';
import {
  appChangeStamp,
  createSecretBox,
  getApp,
  getConfig,
  getGithubIntegration,
  listAppDeliveries,
  listApps,
  listDomains,
  parseSecretKey,
  teamChangeStamp,
  teamMonthlyCost,
} from '@paas/core';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  signIn,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { MOTO_CREDENTIALS, type MotoServer, prepareAwsAccount, startMotoServer } from '@paas/testing/aws';
import type { Browser } from 'playwright-core';
import { launchChromium, measureLcp, signedInContext } from './dashboard-browser';
import {
  type CountingProxy,
  captureSql,
  describeCalls,
  listeningPid,
  processTree,
  profileProcess,
  roleOf,
  type SqlStatement,
  startCountingProxy,
  traceFileAccess,
} from './dashboard-probes';
import { type SeededApp, seedApps } from './dashboard-seed';

// Overridable for a quick trial; the benchmark is 1,000 apps, 60 and 120 requests.
const APPS = Number(process.env.BENCH_APPS ?? 1_000);
const RELEASES = 20;
const APPS_PAGE_RUNS = Number(process.env.BENCH_APPS_PAGE_RUNS ?? 60);
const APP_PAGE_RUNS = Number(process.env.BENCH_APP_PAGE_RUNS ?? 120);
const LCP_RUNS = 5;
const SLIDER_MOVES = 5;
const DWELL_MS = 10_000;
const LIVE = 'bench-live';
const AWS_ACCOUNT = 'aws-bench';

const say = (message: string) => console.log(`dashboard: ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
const median = (values: number[]) => percentile(values, 50);
const ms = (n: number) => `${Math.round(n)} ms`;
const dist = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))} (n=${values.length})`;

/** GET with the session cookie; `ttfb` when the headers arrived, `total` once the body is fully read. */
async function timedGet(url: string, cookie: string) {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const ttfb = performance.now() - started;
  const body = await res.text();
  return { status: res.status, body, ttfb, total: performance.now() - started };
}

/** The apps page shows a page of the list and where it is in it ("1–50 of 1000"). */
const APPS_PAGE_MARK = 'data-testid="apps-range"';

async function page(url: string, cookie: string, mustContain: string) {
  const r = await timedGet(url, cookie);
  if (r.status !== 200 || !r.body.includes(mustContain)) {
    throw new Error(`GET ${url} answered ${r.status} without "${mustContain}": ${r.body.slice(0, 300)}`);
  }
  return r;
}

/** Bytes of the page's inlined React Server Components payload (`self.__next_f.push(...)` scripts). */
function flightBytes(html: string): number {
  let total = 0;
  for (const m of html.matchAll(/<script>self\.__next_f\.push\(([\s\S]*?)\)<\/script>/g)) total += (m[1] as string).length;
  return total;
}

/** A statement as people read it: no schema prefix, no column list. */
function compactSql(text: string): string {
  const sql = text.replace(/"test_[a-z0-9_]+"\./g, '').replace(/\s+/g, ' ');
  const from = sql.indexOf(' FROM ');
  return (sql.startsWith('SELECT ') && from > 0 ? `SELECT … ${sql.slice(from + 1)}` : sql).slice(0, 400);
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

let moto: MotoServer | undefined;
let proxy: CountingProxy | undefined;
let platform: RunningPlatform | undefined;
let repo: BareRepo | undefined;
let browser: Browser | undefined;
try {
  // ─── The platform, an AWS account on moto behind a counting proxy ──────────
  moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint);
  proxy = await startCountingProxy(moto.endpoint);
  platform = await startPlatform({
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      // A real install's intervals (startPlatform's are shortened for tests).
      PAAS_RECONCILE_INTERVAL_MS: '5000',
      PAAS_METRICS_INTERVAL_MS: '30000',
    },
  });
  const { db, webUrl } = platform;
  // The build the web serves must stay the same for the whole run (tests rebuild .next-test when sources change).
  const buildIdFile = join(REPO_ROOT, 'apps/web', process.env.PAAS_WEB_DIST_DIR || '.next-test', 'BUILD_ID');
  const buildId = readFileSync(buildIdFile, 'utf8');
  const webPid = listeningPid(Number(new URL(webUrl).port), processTree(platform.pid));
  if (webPid === null || roleOf(webPid) !== 'web') throw new Error(`could not find the web process (found ${webPid})`);
  say(
    `platform up at ${webUrl} (web pid ${webPid}), data dir ${platform.dataDir}; moto at ${moto.endpoint} behind ${proxy.endpoint}`,
  );

  const account = await platform.api('POST', '/api/v1/cloud-accounts', {
    name: AWS_ACCOUNT,
    provider: 'aws',
    region: 'us-east-1',
    settings: { baseDomain: 'apps.example.test' },
  });
  if (account.status !== 201) throw new Error(`could not add the AWS account: ${account.text}`);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const list = await platform.api('GET', '/api/v1/cloud-accounts');
    const found = list.json.cloudAccounts.find((a: { name: string }) => a.name === AWS_ACCOUNT);
    if (found?.status === 'verified') break;
    if (found?.status === 'failed') throw new Error(`the AWS account failed its check: ${found.error}`);
    if (Date.now() > deadline) throw new Error(`the AWS account was not verified within 90 s: ${JSON.stringify(found)}`);
    await sleep(250);
  }
  say(`AWS account verified (worker calls so far: ${describeCalls(proxy.calls().get('worker'))})`);

  // ─── One real app on the local provider ─────────────────────────────────────
  repo = await createBareRepo();
  const created = await platform.api('POST', '/api/v1/apps', { name: LIVE, repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create ${LIVE}: ${created.text}`);
  await repo.commit(sampleAppFiles({ text: 'live v1' }), 'v1');
  const deploy = await platform.api('POST', `/api/v1/apps/${LIVE}/deploys`);
  if (deploy.status !== 202) throw new Error(`could not deploy ${LIVE}: ${deploy.text}`);
  await waitUntil(
    `${LIVE} to serve`,
    async () => (await getViaRouter(platform?.routerPort as number, `${LIVE}.localhost`)).body === 'live v1',
    180_000,
    250,
  );
  await waitUntil(
    'the deployment to finish',
    async () =>
      (await db.deployment.count({ where: { app: { name: LIVE }, state: { in: ['queued', 'running', 'waiting'] } } })) === 0,
    60_000,
  );
  const live = await db.app.findUniqueOrThrow({ where: { name: LIVE } });
  const template = {
    build: await db.build.findFirstOrThrow({ where: { appId: live.id, status: 'succeeded' } }),
    release: await db.release.findFirstOrThrow({ where: { appId: live.id, status: 'active' } }),
    deployment: await db.deployment.findFirstOrThrow({ where: { appId: live.id, state: 'succeeded' } }),
  };
  say(`${LIVE} deployed and serving (release v${template.release.version})`);

  // ─── 999 more apps, bulk-inserted ───────────────────────────────────────────
  const awsAccount = await db.cloudAccount.findFirstOrThrow({ where: { teamId: live.teamId, name: AWS_ACCOUNT } });
  const secrets = createSecretBox(parseSecretKey(platform.secrets.PAAS_SECRET_KEY));
  const seedStarted = performance.now();
  const seeded = await seedApps({
    db,
    secrets,
    teamId: live.teamId,
    accounts: { local: live.cloudAccountId, aws: awsAccount.id },
    count: APPS - 1,
    releasesPerApp: RELEASES,
    template,
    now: new Date(),
  });
  const apps: SeededApp[] = [...seeded.apps, { name: LIVE, cloud: 'local' }];
  const inTeam = await db.app.count({ where: { teamId: live.teamId } });
  if (inTeam !== APPS) throw new Error(`expected ${APPS} apps in the team, found ${inTeam}`);
  say(
    `seeded ${seeded.apps.length} apps in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${apps.filter((a) => a.cloud === 'aws').length} on AWS, ${apps.filter((a) => a.cloud === 'local').length} local): ${JSON.stringify(seeded.rows)}`,
  );

  // The worker observes every live group once (they are not in either cloud: it records that); wait for that pass.
  const seededAt = new Date();
  const unobserved = () =>
    db.serverGroup.count({
      where: {
        app: { name: { not: LIVE } },
        status: { in: ['creating', 'active', 'disabled'] },
        providerRef: { not: null },
        observedAt: { lt: seededAt },
      },
    });
  const observed = await waitUntil(
    'the worker to observe the seeded groups',
    async () => (await unobserved()) === 0,
    90_000,
    1_000,
  ).catch((error: unknown) => String(error));
  say(
    observed === true
      ? 'the worker has observed every seeded group'
      : `note: ${await unobserved()} groups not observed again: ${observed}`,
  );
  if (observed !== true) {
    // The worker's upkeep pass over 1,000 apps is longer than its interval: the page numbers are taken while it works.
    const left = await db.serverGroup.groupBy({
      by: ['status'],
      where: {
        app: { name: { not: LIVE } },
        status: { in: ['creating', 'active', 'disabled'] },
        providerRef: { not: null },
        observedAt: { lt: seededAt },
      },
      _count: true,
    });
    const onAws = await db.serverGroup.count({
      where: {
        app: { name: { not: LIVE }, cloudAccountId: awsAccount.id },
        status: { in: ['creating', 'active', 'disabled'] },
        observedAt: { lt: seededAt },
      },
    });
    say(`not yet observed: ${JSON.stringify(left.map((g) => [g.status, g._count]))}, ${onAws} of them on AWS`);
  }

  const cookie = await signIn(webUrl, platform.owner.email, platform.owner.password);
  const localApps = apps.filter((a) => a.cloud === 'local');
  const awsApps = apps.filter((a) => a.cloud === 'aws');

  // ─── Server time of the apps page and app pages ─────────────────────────────
  const first = await page(`${webUrl}/`, cookie, APPS_PAGE_MARK);
  say(
    `apps page: ${(first.body.length / 1024).toFixed(0)} KiB of HTML (${(flightBytes(first.body) / 1024).toFixed(0)} KiB of it the RSC payload inlined for hydration), ${(first.body.match(/href="\/apps\//g) ?? []).length} app links, team cost shown: ${first.body.includes('team-cost')}, first render ${ms(first.total)}`,
  );
  const awsPage = await page(`${webUrl}/apps/${awsApps[0]?.name}`, cookie, 'data-testid="app-name"');
  const localPage = await page(`${webUrl}/apps/${localApps[0]?.name}`, cookie, 'data-testid="app-name"');
  say(
    `app page: ${(awsPage.body.length / 1024).toFixed(0)} KiB (AWS app, priced: ${awsPage.body.includes('monthly-cost')}), ${(localPage.body.length / 1024).toFixed(0)} KiB (local app)`,
  );
  for (let i = 0; i < 5; i++) await page(`${webUrl}/`, cookie, APPS_PAGE_MARK);
  for (let i = 0; i < 20; i++) await page(`${webUrl}/apps/${pick(apps).name}`, cookie, 'data-testid="app-name"');

  proxy.reset();
  const timedStarted = performance.now();
  const appsPage = { total: [] as number[], ttfb: [] as number[] };
  for (let i = 0; i < APPS_PAGE_RUNS; i++) {
    const r = await page(`${webUrl}/`, cookie, APPS_PAGE_MARK);
    appsPage.total.push(r.total);
    appsPage.ttfb.push(r.ttfb);
  }
  const appPage = { total: [] as number[], ttfb: [] as number[], local: [] as number[], aws: [] as number[] };
  for (let i = 0; i < APP_PAGE_RUNS; i++) {
    const app = pick(apps);
    const r = await page(`${webUrl}/apps/${app.name}`, cookie, 'data-testid="app-name"');
    appPage.total.push(r.total);
    appPage.ttfb.push(r.ttfb);
    appPage[app.cloud].push(r.total);
  }
  const timedSeconds = (performance.now() - timedStarted) / 1000;
  const light: number[] = [];
  for (let i = 0; i < 20; i++) light.push((await page(`${webUrl}/cloud-accounts`, cookie, AWS_ACCOUNT)).total);
  say(`apps page  GET /              total ${dist(appsPage.total)}; first byte p50 ${ms(median(appsPage.ttfb))}`);
  say(`app pages  GET /apps/<name>   total ${dist(appPage.total)}; first byte p50 ${ms(median(appPage.ttfb))}`);
  say(`           local apps ${dist(appPage.local)}; AWS apps ${dist(appPage.aws)}`);
  say(`a light page (GET /cloud-accounts: session, layout, one query) ${dist(light)}`);
  say(
    `AWS calls during those ${APPS_PAGE_RUNS + APP_PAGE_RUNS} renders (${timedSeconds.toFixed(0)} s): web ${proxy.total('web')} [${describeCalls(proxy.calls().get('web'))}]; worker in the background ${proxy.total('worker')} [${describeCalls(proxy.calls().get('worker'))}]`,
  );

  // ─── Largest Contentful Paint of the apps page ──────────────────────────────
  browser = await launchChromium();
  await measureLcp(browser, webUrl, cookie, `${webUrl}/`); // starts the browser's own processes; not counted
  const lcps = [];
  for (let i = 0; i < LCP_RUNS; i++) lcps.push(await measureLcp(browser, webUrl, cookie, `${webUrl}/`));
  say(
    `LCP of the apps page: ${lcps.map((l) => ms(l.lcpMs)).join(', ')} (element ${lcps.at(-1)?.element}); response end p50 ${ms(median(lcps.map((l) => l.responseEndMs)))}, load event p50 ${ms(median(lcps.map((l) => l.loadMs)))}`,
  );

  // ─── Slider → the provider's desired count ──────────────────────────────────
  const local = createLocalProvider({ dataDir: platform.dataDir });
  const group = await db.serverGroup.findFirstOrThrow({ where: { appId: live.id, processType: 'web', status: 'active' } });
  const ref = group.providerRef as string;
  const desiredNow = async () => (await local.describeServerGroups([ref])).get(ref)?.capacity.desired ?? null;
  const context = await signedInContext(browser, webUrl, cookie);
  const appTab = await context.newPage();
  await appTab.goto(`${webUrl}/apps/${LIVE}`);
  const slider = appTab.getByRole('slider', { name: 'web quantity' });
  await slider.waitFor();
  const moves: number[] = [];
  for (let m = 0; m < SLIDER_MOVES; m++) {
    await waitUntil(
      'the app to settle before the next move',
      async () => {
        const pt = await db.processType.findFirstOrThrow({ where: { appId: live.id, type: 'web' } });
        const rolling = await db.deployment.count({ where: { appId: live.id, state: { in: ['queued', 'running', 'waiting'] } } });
        return rolling === 0 && (await desiredNow()) === pt.quantity && Number(await slider.inputValue()) === pt.quantity;
      },
      60_000,
      100,
    );
    await sleep(1_000);
    const current = Number(await slider.inputValue());
    const up = m % 2 === 0;
    const target = current + (up ? 1 : -1);
    // When the key is released, by the page's clock (the same machine's as ours).
    await appTab.evaluate(
      "window.benchKeyupAt = 0; document.addEventListener('keyup', () => { window.benchKeyupAt = Date.now(); }, { once: true, capture: true })",
    );
    await slider.focus();
    const key = up ? 'ArrowRight' : 'ArrowLeft';
    await appTab.keyboard.down(key);
    await appTab.keyboard.up(key);
    const released = Date.now();
    let seen = 0;
    while (Date.now() - released < 60_000) {
      if ((await desiredNow()) === target) {
        seen = Date.now();
        break;
      }
      await sleep(20);
    }
    if (!seen) {
      const pt = await db.processType.findFirst({ where: { appId: live.id, type: 'web' } });
      throw new Error(
        `the provider did not report desired ${target} within 60 s of the slider move (slider at ${await slider.inputValue()}, formation ${pt?.quantity}, provider ${await desiredNow()}; page says: ${(await appTab.getByTestId('formation-web').textContent())?.slice(0, 200)})`,
      );
    }
    const keyupAt = Number(await appTab.evaluate('window.benchKeyupAt'));
    moves.push(seen - (keyupAt || released));
    say(`slider move ${m + 1}: ${current} → ${target}, provider desired after ${ms(seen - (keyupAt || released))}`);
  }
  await context.close();

  // ─── Provider calls per page: AWS API (proxy) + local state reads (strace) ──
  const counted = { pages: 0, aws: 0, files: 0 };
  {
    const trace = await traceFileAccess(webPid, platform.dataDir);
    proxy.reset();
    const urls = [
      ...Array.from({ length: 20 }, () => ['/', APPS_PAGE_MARK]),
      ...Array.from({ length: 20 }, () => [`/apps/${pick(localApps).name}`, 'data-testid="app-name"']),
      ...Array.from({ length: 20 }, () => [`/apps/${pick(awsApps).name}`, 'data-testid="app-name"']),
      [`/apps/${LIVE}`, 'data-testid="app-name"'],
    ] as [string, string][];
    for (const [path, mustContain] of urls) await page(`${webUrl}${path}`, cookie, mustContain);
    const files = await trace.stop();
    counted.pages = urls.length;
    counted.aws = proxy.total('web');
    counted.files = files.underDir;
    say(
      `counted over ${urls.length} server renders (20 apps pages, 20 local and 20 AWS app pages, ${LIVE}): web → AWS ${counted.aws} [${describeCalls(proxy.calls().get('web'))}]; web file syscalls under the data dir ${files.underDir} ${JSON.stringify(files.bySyscall)} (of ${files.allPathCalls} path syscalls traced)`,
    );
  }
  // What an open page costs beyond its HTML: the page's own requests (live refresh, log stream) for DWELL_MS.
  for (const [label, path] of [
    ['apps page', '/'],
    ['AWS app page', `/apps/${awsApps[1]?.name}`],
    ['local app page (not running)', `/apps/${localApps[0]?.name}`],
    [`${LIVE} page (running)`, `/apps/${LIVE}`],
  ] as [string, string][]) {
    const trace = await traceFileAccess(webPid, platform.dataDir);
    proxy.reset();
    const view = await signedInContext(browser, webUrl, cookie);
    const tab = await view.newPage();
    const requests: string[] = [];
    tab.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await tab.goto(`${webUrl}${path}`, { waitUntil: 'load' });
    await sleep(DWELL_MS);
    await view.close();
    const files = await trace.stop();
    const api = [...new Set(requests.filter((p) => p.startsWith('/api/')))];
    say(
      `${label} open in Chromium for ${DWELL_MS / 1000} s: web → AWS ${proxy.total('web')} [${describeCalls(proxy.calls().get('web'))}], web file syscalls under the data dir ${files.underDir} ${JSON.stringify(files.bySyscall)}; the page's API requests: ${api.join(', ') || 'none'}`,
    );
  }

  // ─── Where a page's server time goes: the web process's CPU, sampled while it renders ──
  for (const [label, paths] of [
    ['apps page', Array.from({ length: 10 }, () => '/')],
    ['app pages', Array.from({ length: 20 }, () => `/apps/${pick(apps).name}`)],
  ] as [string, string[]][]) {
    const started = performance.now();
    const profile = await profileProcess(webPid, async () => {
      for (const path of paths) await page(`${webUrl}${path}`, cookie, path === '/' ? APPS_PAGE_MARK : 'data-testid="app-name"');
    });
    const wall = (performance.now() - started) / paths.length;
    if (typeof profile === 'string') {
      say(`${label}: ${profile}`);
      continue;
    }
    const per = (n: number) => `${(n / paths.length).toFixed(1)} ms`;
    say(
      `${label}, CPU of the web process per render (${paths.length} renders, ${ms(wall)} wall each while sampled): ${per(profile.busyMs)} busy =\n    ${profile.byCategory.map(([k, v]) => `${per(v)} ${k}`).join('\n    ')}\n  hottest functions: ${profile.topFunctions
        .slice(0, 8)
        .map(([k, v]) => `${k} ${per(v)}`)
        .join('; ')}`,
    );
  }

  // ─── Where a page's server time goes: its data, read with the same core functions ──
  const ctx = {
    db,
    secrets,
    clouds: createCloudInventory({
      PAAS_CLOUD: 'local',
      PAAS_DATA_DIR: platform.dataDir,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: moto.endpoint,
    }),
  };
  const teamId = live.teamId;
  const parts = { stamp: [] as number[], listApps: [] as number[], cost: [] as number[], all: [] as number[] };
  const appsPageData = async () => {
    const t0 = performance.now();
    await teamChangeStamp(db, teamId);
    const t1 = performance.now();
    const list = await listApps(ctx, { teamId });
    const t2 = performance.now();
    const accounts = await db.cloudAccount.findMany({ where: { teamId } });
    teamMonthlyCost(
      list,
      new Map(accounts.map((a) => [a.id, { region: a.region, instanceTypes: ctx.clouds.forAccount(a).instanceTypes() }])),
    );
    const t3 = performance.now();
    parts.stamp.push(t1 - t0);
    parts.listApps.push(t2 - t1);
    parts.cost.push(t3 - t2);
    parts.all.push(t3 - t0);
  };
  for (let i = 0; i < 3; i++) await appsPageData();
  for (const key of Object.keys(parts) as (keyof typeof parts)[]) parts[key] = [];
  for (let i = 0; i < 15; i++) await appsPageData();
  const appsSql = await captureSql(appsPageData);
  // The same list in one statement (LATERAL joins, LIMIT 1 per app), to size what a rewrite of listApps could save.
  const oneQuery = async () =>
    db.$queryRaw<unknown[]>`
      SELECT a."name", a."repoUrl", a."branch", a."deletingAt", a."cloudAccountId", r."version" AS "activeRelease",
             d."state", d."step", d."kind", f."formation"
      FROM "App" a
      LEFT JOIN LATERAL (SELECT "version" FROM "Release" WHERE "appId" = a."id" AND "status" = 'active' LIMIT 1) r ON true
      LEFT JOIN LATERAL (SELECT "state", "step", "kind" FROM "Deployment" WHERE "appId" = a."id" ORDER BY "createdAt" DESC LIMIT 1) d ON true
      LEFT JOIN LATERAL (SELECT json_agg(json_build_object('type', "type", 'quantity', "quantity", 'size', "instanceSize")) AS "formation"
                         FROM "ProcessType" WHERE "appId" = a."id") f ON true
      WHERE a."teamId" = ${teamId}::uuid
      ORDER BY a."name"`;
  const single: number[] = [];
  for (let i = 0; i < 13; i++) {
    const t0 = performance.now();
    const rows = await oneQuery();
    if (i >= 3) single.push(performance.now() - t0);
    if (rows.length !== APPS) throw new Error(`the one-statement list answered ${rows.length} rows`);
  }
  say(`the same list as one statement with LATERAL joins: ${dist(single)} (listApps: ${dist(parts.listApps)})`);
  const appParts: number[] = [];
  const appPageData = async (name: string) => {
    const t0 = performance.now();
    const row = await db.app.findUniqueOrThrow({ where: { name }, select: { id: true } });
    await appChangeStamp(db, row.id);
    await getGithubIntegration(ctx, { teamId });
    await getApp(ctx, name);
    await getConfig(ctx, name);
    await listDomains(ctx, name);
    await listAppDeliveries(ctx, name);
    appParts.push(performance.now() - t0);
  };
  for (let i = 0; i < 5; i++) await appPageData(pick(apps).name);
  appParts.length = 0;
  for (let i = 0; i < 30; i++) await appPageData(pick(apps).name);
  const appSql = await captureSql(() => appPageData(awsApps[2]?.name as string));
  say(
    `apps page data (same core calls, from this process): ${ms(median(parts.all))} p50 = change stamp ${ms(median(parts.stamp))} + listApps ${ms(median(parts.listApps))} + accounts/cost ${ms(median(parts.cost))}; the page's server time p50 ${ms(median(appsPage.total))}, so ≈ ${ms(median(appsPage.total) - median(parts.all))} is rendering and sending ${(first.body.length / 1024).toFixed(0)} KiB`,
  );
  const top = (statements: SqlStatement[], n: number) =>
    [...statements]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n)
      .map((s) => `${s.ms.toFixed(1)} ms, ${s.rows} rows: ${compactSql(s.text)}`);
  say(`apps page statements (${appsSql.statements.length}), slowest first:\n    ${top(appsSql.statements, 6).join('\n    ')}`);
  say(
    `app page data: ${ms(median(appParts))} p50 (${dist(appParts)}) in ${appSql.statements.length} statements; page server time p50 ${ms(median(appPage.total))}`,
  );
  say(`app page statements, slowest first:\n    ${top(appSql.statements, 4).join('\n    ')}`);
  for (const s of [...appsSql.statements].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    try {
      const plan = await db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, ...s.values);
      say(`plan of a ${s.ms.toFixed(1)} ms statement:\n    ${plan.map((p) => p['QUERY PLAN']).join('\n    ')}`);
    } catch (error) {
      say(`could not EXPLAIN a statement: ${String(error).slice(0, 200)}`);
    }
  }

  if (readFileSync(buildIdFile, 'utf8') !== buildId) {
    throw new Error(`the dashboard was rebuilt (${buildIdFile}) while the benchmark ran: its numbers mix two builds`);
  }
  console.log(
    JSON.stringify({
      bench: 'dashboard',
      apps: inTeam,
      apps_page_p95_ms: Math.round(percentile(appsPage.total, 95)),
      app_page_p95_ms: Math.round(percentile(appPage.total, 95)),
      lcp_ms: Math.round(median(lcps.map((l) => l.lcpMs))),
      slider_to_desired_ms: Math.round(median(moves)),
      provider_calls_per_page: Math.round(((counted.aws + counted.files) / counted.pages) * 100) / 100,
    }),
  );
} catch (error) {
  // What the platform's processes said last, to tell a slow step from a broken one.
  const lines = (platform?.output() ?? '').split('\n').filter((l) => !l.includes('"msg":"http"'));
  console.error(`the platform's last output:\n${lines.slice(-80).join('\n')}`);
  throw error;
} finally {
  await browser?.close().catch(() => {});
  await platform?.stop();
  await repo?.remove();
  await proxy?.stop();
  await moto?.stop();
}

import { spawnSync } from 'node:child_process';
import {
  createBareRepo,
  examplePayload,
  type FakeGithub,
  getViaRouter,
  pushPayload,
  type RunningPlatform,
  repoJson,
  sampleAppFiles,
  sendGithubDelivery,
  startFakeGithub,
  startPlatform,
  waitForRelay,
  waitUntil,
} from '@paas/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedInPage } from './browser';

// The GitHub App made in one click through GitHub's App-manifest flow, against
// a local server speaking GitHub's pages and REST API (GitHub is unreachable
// here) that records what the platform sends.
describe('GitHub App: setup by manifest, installations, connecting an app', () => {
  let platform: RunningPlatform;
  let github: FakeGithub;
  let browser: Browser;
  let page: Page;
  const shop = { id: 5150, fullName: 'acme/shop', private: true };
  const blog = { id: 5151, fullName: 'acme/blog', private: false };

  beforeAll(async () => {
    github = await startFakeGithub();
    platform = await startPlatform({ env: { GITHUB_URL: github.url, GITHUB_API_URL: github.url } });
    browser = await launchChromium(chromium);
    page = await signedInPage(browser, platform);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await github?.stop();
  });

  /** A delivery signed with the App's webhook secret, as GitHub sends the App's events. */
  async function deliverAsApp(event: string, payload: Record<string, unknown>) {
    const app = github.apps[0];
    if (!app) throw new Error('no App was made');
    const res = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: app.webhookSecret,
      event,
      body: JSON.stringify(payload),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    return waitForRelay(platform.db, res.deliveryId);
  }

  it('creates the App from the dashboard: the manifest is pre-filled, the code exchanged, the secrets stored encrypted', async () => {
    await page.goto(`${platform.webUrl}/github`);
    await page.getByLabel('App name (unique on GitHub)').fill('paas-e2e');
    await page.getByRole('button', { name: 'Create GitHub App' }).click();
    // The browser posts the manifest to GitHub, which (on the admin's confirmation) sends it back with a code.
    await page.waitForURL(`${platform.webUrl}/github?created=1`);
    await expect.poll(() => page.getByTestId('github-app').textContent()).toContain('paas-e2e');

    const posted = github.requests.find((r) => r.path.startsWith('/settings/apps/new?state='));
    const manifest = JSON.parse(new URLSearchParams(posted?.body).get('manifest') as string);
    expect(manifest).toEqual({
      name: 'paas-e2e',
      url: platform.webUrl,
      description: expect.any(String),
      hook_attributes: { url: platform.webhookUrl, active: true },
      redirect_url: `${platform.webUrl}/github/setup/callback`,
      callback_urls: [`${platform.webUrl}/github/setup/callback`, `${platform.webUrl}/api/auth/callback/github`],
      public: false,
      default_permissions: {
        contents: 'read',
        metadata: 'read',
        deployments: 'write',
        statuses: 'write',
        pull_requests: 'write',
      },
      default_events: ['push', 'pull_request'],
    });
    const conversions = github.requests.filter((r) => /^\/app-manifests\/[0-9a-f]+\/conversions$/.test(r.path));
    expect(conversions).toHaveLength(1);
    expect(conversions[0]?.method).toBe('POST');

    const made = github.apps[0] as NonNullable<(typeof github.apps)[0]>;
    const row = await platform.db.githubApp.findFirstOrThrow();
    expect(Number(row.githubAppId)).toBe(made.id);
    for (const sealed of [row.privateKeyEnc, row.webhookSecretEnc, row.clientSecretEnc]) {
      const bytes = Buffer.from(sealed).toString('latin1');
      expect(bytes).not.toContain('PRIVATE KEY');
      expect(bytes).not.toContain(made.webhookSecret);
    }
    // Never a secret in the API's answer.
    const api = await platform.api('GET', '/api/v1/github');
    expect(api.json.app).toMatchObject({
      id: made.id,
      name: 'paas-e2e',
      installUrl: `${github.url}/apps/paas-e2e/installations/new`,
    });
    expect(api.text).not.toContain(made.webhookSecret);
    expect(api.text).not.toContain('PRIVATE KEY');

    // A second App is refused, and a replayed code is not taken.
    const again = await platform.api('POST', '/api/v1/github/app', { code: 'a'.repeat(20) });
    expect(again.status).toBe(409);
  });

  it('follows installation events, and reads installations back from GitHub with the App’s own credentials', async () => {
    const created = examplePayload('installation', 'created');
    (created.installation as Record<string, unknown>).id = 4242;
    (created.installation as { account: Record<string, unknown> }).account.login = 'acme';
    created.repositories = [repoJson(shop)];
    const relayed = await deliverAsApp('installation', created);
    expect(relayed).toMatchObject({ status: 'processed', result: 'installation 4242 created' });
    const listed = await platform.api('GET', '/api/v1/github');
    expect(listed.json.installations).toEqual([
      expect.objectContaining({ id: 4242, account: 'acme', repositories: [{ ...shop, apps: [] }] }),
    ]);

    const added = examplePayload('installation_repositories', 'added');
    added.installation = created.installation;
    added.repositories_added = [repoJson(blog)];
    added.repositories_removed = [];
    expect(await deliverAsApp('installation_repositories', added)).toMatchObject({ result: '1 repositories added, 0 removed' });

    // GitHub says the same; a refresh reads it with a JWT, then an installation token.
    github.install({
      id: 4242,
      account: { login: 'acme', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: [shop, blog],
    });
    // The sync that followed the App's creation has ended (and found nothing yet).
    const { syncedAt } = await waitUntil(
      'the first sync',
      async () => (await platform.db.githubApp.findFirstOrThrow()).syncedAt && (await platform.db.githubApp.findFirstOrThrow()),
      30_000,
    );
    const before = github.requests.length;
    await page.goto(`${platform.webUrl}/github`);
    await page.getByRole('button', { name: 'Refresh from GitHub' }).click();
    await waitUntil(
      'the refresh to end',
      async () => ((await platform.db.githubApp.findFirstOrThrow()).syncedAt?.getTime() ?? 0) > (syncedAt?.getTime() ?? 0),
      30_000,
    );
    const sent = github.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(sent).toEqual([
      'GET /app/installations',
      'POST /app/installations/4242/access_tokens',
      'GET /installation/repositories',
    ]);
    const appCalls = github.requests.slice(before).filter((r) => r.path.startsWith('/app/'));
    for (const call of appCalls) expect(String(call.jwt?.iss)).toBe(String(github.apps[0]?.id));
    expect(github.requests.slice(before).find((r) => r.path.startsWith('/installation/'))?.authorization).toMatch(/^token ghs_/);
    await expect.poll(() => page.getByTestId('github-installations').textContent()).toContain('acme/blog');
  });

  it('connects an app by picking the repository; a push matches it by id even after a rename', async () => {
    expect(
      (await platform.api('POST', '/api/v1/apps', { name: 'shop', repoUrl: 'https://github.com/acme/shop.git' })).status,
    ).toBe(201);
    await page.goto(`${platform.webUrl}/apps/shop`);
    await page.getByLabel('Repository').selectOption({ label: 'acme/shop' });
    await page.getByTestId('connect-repository').getByRole('button', { name: 'Save repository' }).click();
    await expect.poll(() => page.getByTestId('connect-repository').textContent()).toContain('Saved');
    const app = await platform.db.app.findUniqueOrThrow({ where: { name: 'shop' } });
    expect(Number(app.githubRepoId)).toBe(shop.id);

    // Renamed on GitHub: same id, new name and URLs.
    const sha = 'c0ffee'.padEnd(40, '0');
    const push = pushPayload({
      repoUrl: 'https://github.com/acme/storefront.git',
      branch: 'main',
      sha,
      repository: { id: shop.id, fullName: 'acme/storefront' },
    });
    const relayed = await deliverAsApp('push', push);
    expect(relayed.deployments).toHaveLength(1);
    expect(relayed.deployments[0]).toMatchObject({ appId: app.id, commitSha: sha });

    // Another repository's push with the same name as the app's old URL does not deploy it.
    const impostor = pushPayload({
      repoUrl: 'https://github.com/acme/shop.git',
      branch: 'main',
      sha,
      repository: { id: 999, fullName: 'acme/shop' },
    });
    const ignoredPush = await deliverAsApp('push', impostor);
    expect(ignoredPush.status).toBe('ignored');

    // What each delivery meant for the app, on its page; an ignored one can be relayed again from the GitHub page.
    await page.goto(`${platform.webUrl}/apps/shop`);
    await expect
      .poll(() => page.getByTestId('app-deliveries').textContent())
      .toMatch(/push.*main c0ffee0.*processed: deploying c0ffee0/);
    await page.goto(`${platform.webUrl}/github`);
    await page.getByTestId(`delivery-${ignoredPush.deliveryId}`).getByRole('button', { name: 'Redeliver' }).click();
    await waitUntil(
      'the ignored push to be relayed again',
      async () => {
        const row = await platform.db.webhookDelivery.findUniqueOrThrow({ where: { deliveryId: ignoredPush.deliveryId } });
        return row.status === 'ignored' && (row.processedAt?.getTime() ?? 0) > (ignoredPush.processedAt?.getTime() ?? 0);
      },
      30_000,
    );
    const processed = await platform.api('POST', `/api/v1/github/deliveries/${relayed.deliveryId}/redeliver`);
    expect(processed.status).toBe(409);
    expect(processed.json.error.message).toMatch(/already processed/);

    // A repository the App cannot reach is refused, nothing changed.
    const refused = await platform.api('PUT', '/api/v1/apps/shop/github', { repositoryId: 777 });
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toMatch(/install the App/);
    expect(Number((await platform.db.app.findUniqueOrThrow({ where: { name: 'shop' } })).githubRepoId)).toBe(shop.id);
  });

  it('builds a connected app from its commit’s tarball, with a token for that repository only, never stored or logged', async () => {
    const source = await createBareRepo();
    try {
      const installed = github.installations.find((i) => i.id === 4242)?.repositories.find((r) => r.id === shop.id);
      if (!installed) throw new Error('the shop repository is not installed');
      installed.gitDir = source.path;
      const sha = await source.commit(sampleAppFiles({ text: 'served from the tarball' }), 'from the tarball');
      const before = github.requests.length;
      // GitHub has a bad minute when the commit status is set: the report retries, the deploy does not wait.
      github.failNext(/\/statuses\/[0-9a-f]{40}$/, 502, 2);
      const push = pushPayload({
        repoUrl: 'https://github.com/acme/storefront.git',
        branch: 'main',
        sha,
        repository: { id: shop.id, fullName: 'acme/shop' },
      });
      const relayed = await deliverAsApp('push', push);
      const deployment = await waitUntil(
        'the deployment to end',
        async () => {
          const d = await platform.db.deployment.findUniqueOrThrow({ where: { id: relayed.deployments[0]?.id as string } });
          return ['succeeded', 'failed', 'canceled'].includes(d.state) ? d : null;
        },
        120_000,
      );
      expect(deployment, deployment.error ?? '').toMatchObject({ state: 'succeeded', commitSha: sha });
      expect((await getViaRouter(platform.routerPort, 'shop.localhost')).body).toBe('served from the tarball');

      const sent = github.requests.slice(before);
      const minted = sent.filter((r) => r.path === '/app/installations/4242/access_tokens').map((r) => JSON.parse(r.body));
      expect(minted).toContainEqual({ repository_ids: [shop.id], permissions: { contents: 'read' } });
      const tarball = sent.find((r) => r.path === `/repos/acme/shop/tarball/${sha}`);
      expect(tarball?.authorization).toMatch(/^token ghs_[0-9a-f]+$/);
      const token = String(tarball?.authorization).slice('token '.length);
      // GitHub's download host got no token: its URL carries its own one-time grant.
      expect(sent.find((r) => r.path.startsWith('/_codeload/'))?.authorization).toBeNull();

      // The token is nowhere the platform keeps or prints things.
      const build = await platform.db.build.findUniqueOrThrow({ where: { id: deployment.buildId as string } });
      expect(build.log).toContain('Unpacking');
      for (const text of [
        build.log,
        // githubDeploymentId is a bigint once GitHub's deployment is made (a job of its own, at any moment).
        JSON.stringify(deployment, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
        JSON.stringify(await platform.db.auditEvent.findMany()),
        platform.output(),
      ]) {
        expect(text).not.toContain(token);
      }
      const onDisk = spawnSync('grep', ['-rl', token, platform.dataDir], { encoding: 'utf8' });
      expect(onDisk.stdout).toBe('');

      // Reported back: a GitHub Deployment of the commit ending in success with the app's URL, and the commit's status.
      const reported = await waitUntil(
        'GitHub to be told of the success',
        async () => {
          const made = github.deployments.find((d) => d.sha === sha);
          const statusSet = github.commitStatuses.some((s) => s.sha === sha && s.state === 'success');
          return made?.statuses.some((s) => s.state === 'success') && statusSet ? made : null;
        },
        60_000,
      );
      expect(reported).toMatchObject({
        repository: 'acme/shop',
        environment: 'shop',
        payload: { paasDeployment: deployment.id },
      });
      expect(github.deployments.filter((d) => d.sha === sha)).toHaveLength(1);
      expect(reported.statuses.at(-1)).toMatchObject({
        state: 'success',
        environment_url: `http://shop.localhost:${platform.routerPort}`,
        log_url: expect.stringMatching(new RegExp(`/apps/shop/deployments/${deployment.id}$`)),
      });
      expect(github.commitStatuses.filter((s) => s.sha === sha).at(-1)).toMatchObject({ state: 'success', context: 'paas/shop' });
      const reportGrant = [...github.tokens.values()].find((g) => JSON.stringify(g.permissions).includes('deployments'));
      expect(reportGrant).toMatchObject({ repositoryIds: [shop.id], permissions: { deployments: 'write', statuses: 'write' } });

      // The earlier push whose source GitHub could not give failed, and GitHub was told so, with the log's link.
      const failedSha = 'c0ffee'.padEnd(40, '0');
      // The deployment's status is posted before the commit's: wait for both.
      await waitUntil(
        'GitHub to be told of the failure',
        async () =>
          github.deployments.find((d) => d.sha === failedSha)?.statuses.some((s) => s.state === 'failure') &&
          github.commitStatuses.some((s) => s.sha === failedSha && s.state === 'failure'),
        60_000,
      );
      expect(github.commitStatuses.filter((s) => s.sha === failedSha).at(-1)).toMatchObject({
        state: 'failure',
        context: 'paas/shop',
      });
    } finally {
      await source.remove();
    }
  });

  it('review apps: one per pull request, with the parent’s config and overrides; never for a fork; gone when it closes', async () => {
    const source = await createBareRepo();
    try {
      const installed = github.installations.find((i) => i.id === 4242)?.repositories.find((r) => r.id === shop.id);
      if (!installed) throw new Error('the shop repository is not installed');
      installed.gitDir = source.path;
      expect((await platform.api('PATCH', '/api/v1/apps/shop/config', { GREETING: 'parent', ONLY_PARENT: 'x' })).status).toBe(
        202,
      );

      // Opted in on the app's page, with overrides for review apps.
      await page.goto(`${platform.webUrl}/apps/shop`);
      await page.getByLabel('Make a review app for each pull request').check();
      await page.getByTestId('review-apps').locator('textarea').fill('GREETING=review\nONLY_PARENT=');
      await page.getByTestId('review-apps').getByRole('button', { name: 'Save review apps' }).click();
      await expect.poll(() => page.getByTestId('review-apps').textContent()).toContain('Saved');

      const pullRequest = (number: number, action: string, sha: string, headRepoId = shop.id) => {
        const payload = examplePayload('pull_request', 'opened');
        const pr = payload.pull_request as { head: Record<string, unknown>; base: Record<string, unknown> };
        payload.action = action;
        payload.number = number;
        pr.head = { ...pr.head, ref: `feature-${number}`, sha, repo: { ...(pr.head.repo as object), id: headRepoId } };
        pr.base = { ...pr.base, ref: 'main', repo: { ...(pr.base.repo as object), id: shop.id, full_name: 'acme/shop' } };
        payload.repository = { ...(payload.repository as object), id: shop.id, full_name: 'acme/shop' };
        payload.installation = { id: 4242 };
        return payload;
      };
      const served = (host: string, path = '/') => getViaRouter(platform.routerPort, host, path);

      const first = await source.commit(sampleAppFiles({ text: 'pull request 7' }), 'pr 7');
      const opened = await deliverAsApp('pull_request', pullRequest(7, 'opened', first));
      expect(opened).toMatchObject({ status: 'processed', result: `shop-pr-7 deploying ${first.slice(0, 7)}` });
      await waitUntil(
        'the review app to serve',
        async () => (await served('shop-pr-7.localhost')).body === 'pull request 7',
        120_000,
        200,
      );
      expect((await served('shop-pr-7.localhost', '/__env/GREETING')).body).toBe('review');
      expect((await served('shop-pr-7.localhost', '/__env/ONLY_PARENT')).status).toBe(404);
      const review = await platform.db.app.findUniqueOrThrow({ where: { name: 'shop-pr-7' }, include: { processTypes: true } });
      expect(review.processTypes).toMatchObject([{ type: 'web', quantity: 1, instanceSize: 'small' }]);
      await waitUntil('its URL on the pull request', async () => github.comments.some((c) => c.number === 7), 60_000);
      expect(github.comments.filter((c) => c.number === 7)).toEqual([
        {
          repository: 'acme/shop',
          number: 7,
          body: expect.stringContaining(`http://shop-pr-7.localhost:${platform.routerPort}`),
        },
      ]);

      // A new push to the pull request updates it.
      const second = await source.commit(sampleAppFiles({ text: 'pull request 7, again' }), 'pr 7 again');
      await deliverAsApp('pull_request', pullRequest(7, 'synchronize', second));
      await waitUntil(
        'the update to serve',
        async () => (await served('shop-pr-7.localhost')).body === 'pull request 7, again',
        120_000,
        200,
      );

      // From a fork: recorded, never deployed.
      const fork = await deliverAsApp('pull_request', pullRequest(8, 'opened', second, 999));
      expect(fork).toMatchObject({
        status: 'ignored',
        result: 'pull request #8 comes from a fork: review apps never deploy forks',
      });
      expect(await platform.db.app.count({ where: { name: 'shop-pr-8' } })).toBe(0);

      // Closed: the review app and everything it ran go.
      await deliverAsApp('pull_request', pullRequest(7, 'closed', second));
      await waitUntil(
        'the review app to be gone',
        async () => (await platform.db.app.count({ where: { name: 'shop-pr-7' } })) === 0,
        120_000,
      );
      expect((await served('shop-pr-7.localhost')).status).toBe(404);
      expect(github.comments.filter((c) => c.number === 7)).toHaveLength(1);

      // Deleting the app deletes its review apps.
      await deliverAsApp('pull_request', pullRequest(9, 'opened', second));
      expect(await platform.db.app.count({ where: { name: 'shop-pr-9' } })).toBe(1);
      expect((await platform.api('DELETE', '/api/v1/apps/shop')).status).toBe(202);
      await waitUntil(
        'the app and its review app to be gone',
        async () => (await platform.db.app.count({ where: { name: { in: ['shop', 'shop-pr-9'] } } })) === 0,
        120_000,
      );
    } finally {
      await source.remove();
    }
  });

  it('forgets repositories and installations GitHub says are gone', async () => {
    const removed = examplePayload('installation_repositories', 'removed');
    (removed.installation as Record<string, unknown>).id = 4242;
    removed.repositories_added = [];
    removed.repositories_removed = [repoJson(blog)];
    expect(await deliverAsApp('installation_repositories', removed)).toMatchObject({ result: '0 repositories added, 1 removed' });
    expect(await platform.db.githubRepository.count({ where: { id: BigInt(blog.id) } })).toBe(0);

    const deleted = examplePayload('installation', 'deleted');
    (deleted.installation as Record<string, unknown>).id = 4242;
    expect(await deliverAsApp('installation', deleted)).toMatchObject({ result: 'installation 4242 removed' });
    expect((await platform.api('GET', '/api/v1/github')).json.installations).toEqual([]);
  });
  it('signs people in with GitHub through the App: once connected to their account, or by invitation; never by email alone, never a walk-in', async () => {
    // The same email is not enough: someone could have typed it into an invitation.
    github.signInAs({ id: 70001, login: 'octo-owner', name: 'Octo Owner', email: platform.owner.email.toUpperCase() });
    const unlinked = await browser.newPage();
    await unlinked.goto(`${platform.webUrl}/login`);
    await unlinked.getByRole('button', { name: 'Sign in with GitHub' }).click();
    await unlinked.getByTestId('sign-in-error').waitFor();
    expect(await unlinked.getByTestId('sign-in-error').textContent()).toMatch(/connect GitHub on your Account page/);
    await unlinked.close();

    // The owner connects GitHub while signed in; from then on GitHub signs them in.
    await page.goto(`${platform.webUrl}/account`);
    await page.getByRole('button', { name: 'Connect GitHub' }).click();
    await page.getByTestId('github-linked').waitFor();
    const owner = await browser.newPage();
    await owner.goto(`${platform.webUrl}/login`);
    await owner.getByRole('button', { name: 'Sign in with GitHub' }).click();
    await owner.waitForURL(`${platform.webUrl}/`);
    expect(await owner.getByTestId('me').textContent()).toBe(platform.owner.email);
    await owner.close();
    const authorize = github.requests.filter((r) => r.path.startsWith('/login/oauth/authorize'));
    expect(new URL(authorize.at(-1)?.path ?? '', 'http://x').searchParams.get('client_id')).toBe(github.apps[0]?.clientId);

    // Somebody GitHub knows but the platform does not: no account is made.
    github.signInAs({ id: 70002, login: 'walk-in', name: 'Walk In', email: 'walk-in@example.test' });
    const stranger = await browser.newPage();
    await stranger.goto(`${platform.webUrl}/login`);
    await stranger.getByRole('button', { name: 'Sign in with GitHub' }).click();
    await stranger.getByTestId('sign-in-error').waitFor();
    expect(await stranger.getByTestId('sign-in-error').textContent()).toMatch(/ask a team admin for an invitation/);
    expect(await platform.db.user.count({ where: { email: 'walk-in@example.test' } })).toBe(0);
    await stranger.close();

    // With an invitation, the same person joins with GitHub.
    const invited = await platform.api('POST', '/api/v1/team/invitations', { role: 'member' });
    const joining = await browser.newPage();
    await joining.goto(invited.json.invitation.url);
    await joining.getByRole('button', { name: 'Join with GitHub' }).click();
    await joining.getByRole('button', { name: 'Join team' }).click();
    await joining.waitForURL(`${platform.webUrl}/`);
    expect(await joining.getByTestId('me').textContent()).toBe('walk-in@example.test');
    const member = await platform.db.user.findUniqueOrThrow({
      where: { email: 'walk-in@example.test' },
      include: { memberships: true, accounts: true },
    });
    expect(member.memberships.map((m) => m.role)).toEqual(['member']);
    expect(member.accounts.map((a) => a.providerId)).toEqual(['github']);
    await joining.close();
  });
});

// The one behaviour every CloudProvider must have, run against each of them
// (local processes now, AWS on moto later). Provider-specific checks (the local
// router, detached builds, pid reuse) live in that provider's own tests.

import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { CloudProvider, ImageBuildStatus, ServerGroupInfo } from '@paas/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareRepo, createBareRepo } from './git-fixture';
import { sampleAppFiles } from './sample-app';

export interface ProviderUnderTest {
  provider: CloudProvider;
  /** Stops everything the provider started and removes its state. */
  cleanup(): Promise<void>;
}

const BUILD_TIMEOUT_MS = 120_000;
const HEALTH_TIMEOUT_MS = 60_000;

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** GET without keep-alive (so no test holds sockets open to the instances it stops). */
export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 5_000) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const req = request(url, { agent: false, headers, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    },
  );
}

export async function waitForBuild(provider: CloudProvider, jobRef: string): Promise<ImageBuildStatus> {
  return waitFor(
    `build ${jobRef} to finish`,
    async () => {
      const status = await provider.getImageBuild(jobRef);
      return status.state === 'running' ? null : status;
    },
    BUILD_TIMEOUT_MS,
    250,
  );
}

export async function waitForHealthy(provider: CloudProvider, ref: string, count: number): Promise<ServerGroupInfo> {
  return waitFor(
    `${count} healthy instance(s) in ${ref}`,
    async () => {
      const info = await provider.describeServerGroup(ref);
      const live = info?.instances.filter((instance) => instance.health !== 'stopped') ?? [];
      return info && live.length === count && live.every((instance) => instance.health === 'healthy') ? info : null;
    },
    HEALTH_TIMEOUT_MS,
    200,
  );
}

export function describeCloudProviderContract(name: string, makeProvider: () => Promise<ProviderUnderTest>): void {
  describe(`${name}: cloud provider contract`, () => {
    let subject: ProviderUnderTest;
    let provider: CloudProvider;
    let repo: BareRepo;
    const app = `contract-${randomBytes(3).toString('hex')}`;
    const text = `hello from ${app}`;
    let sha: string;
    let image: Extract<ImageBuildStatus, { state: 'succeeded' }>;
    let templateRef: string;
    let groupRef: string;

    beforeAll(async () => {
      subject = await makeProvider();
      provider = subject.provider;
      repo = await createBareRepo();
      sha = await repo.commit(sampleAppFiles({ text }), 'sample app');
    }, 60_000);

    afterAll(async () => {
      await subject?.cleanup();
      await repo?.remove();
    }, 60_000);

    it(
      'builds an image from a commit: running, then succeeded; starting it again returns the same handle',
      async () => {
        const input = { app, buildId: `${app}-b1`, repoUrl: repo.url, commitSha: sha };
        const { jobRef } = await provider.startImageBuild(input);
        expect((await provider.getImageBuild(jobRef)).state).toBe('running');
        expect(await provider.startImageBuild(input)).toEqual({ jobRef });

        const status = await waitForBuild(provider, jobRef);
        if (status.state !== 'succeeded')
          throw new Error(`build failed: ${status.state === 'failed' ? status.error : ''}\n${status.log}`);
        expect(status.imageRef).toBeTruthy();
        expect(status.processes).toEqual({ web: 'npm start' });
        expect(status.stack).toBe('node');
        expect(status.log).toContain('-----> ');
        expect(await provider.startImageBuild(input)).toEqual({ jobRef });
        expect((await provider.getImageBuild(jobRef)).state).toBe('succeeded');
        image = status;
      },
      BUILD_TIMEOUT_MS,
    );

    it(
      'reports a failed build with a reason: an app it cannot start, a commit that does not exist',
      async () => {
        const noStart = await repo.commit({ 'package.json': '{ "name": "nothing-to-start" }\n' }, 'no start script');
        const [undetectable, missing] = await Promise.all([
          provider.startImageBuild({ app, buildId: `${app}-b2`, repoUrl: repo.url, commitSha: noStart }),
          provider.startImageBuild({ app, buildId: `${app}-b3`, repoUrl: repo.url, commitSha: 'f'.repeat(40) }),
        ]);
        const [first, second] = await Promise.all([
          waitForBuild(provider, undetectable.jobRef),
          waitForBuild(provider, missing.jobRef),
        ]);
        expect(first.state).toBe('failed');
        expect(first.state === 'failed' && first.error).toMatch(/no start script/);
        expect(first.log).toMatch(/no start script/);
        expect(second.state).toBe('failed');
        expect(second.state === 'failed' && second.error).toMatch(/fetch|commit/i);
      },
      BUILD_TIMEOUT_MS,
    );

    it('release templates are immutable: same input, same ref; different input for a version is refused', async () => {
      const input = {
        app,
        version: 1,
        imageRef: image.imageRef,
        processes: image.processes,
        env: { GREETING: 'hi there', SECRET_TOKEN: 's3cr3t' },
        instanceSize: 'small',
      };
      ({ templateRef } = await provider.createReleaseTemplate(input));
      expect(await provider.createReleaseTemplate({ ...input, env: { SECRET_TOKEN: 's3cr3t', GREETING: 'hi there' } })).toEqual({
        templateRef,
      });
      await expect(provider.createReleaseTemplate({ ...input, env: { GREETING: 'changed' } })).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it(
      'ensureServerGroup is idempotent and its instances become healthy and serve the app with its config vars',
      async () => {
        const input = { name: `${app}-v1-web`, app, release: 1, processType: 'web', templateRef, desired: 2 };
        ({ ref: groupRef } = await provider.ensureServerGroup(input));
        expect(await provider.ensureServerGroup(input)).toEqual({ ref: groupRef });

        const info = await waitForHealthy(provider, groupRef, 2);
        expect(info).toMatchObject({ ref: groupRef, name: input.name, desired: 2 });
        expect(new Set(info.instances.map((instance) => instance.id)).size).toBe(2);
        for (const instance of info.instances) {
          expect(instance.address).toBeTruthy();
          expect((await httpGet(`http://${instance.address}/`)).body).toBe(text);
          expect((await httpGet(`http://${instance.address}/__env/GREETING`)).body).toBe('hi there');
        }
      },
      HEALTH_TIMEOUT_MS,
    );

    it(
      'resizes up and down',
      async () => {
        await provider.resizeServerGroup(groupRef, 3);
        const up = await waitForHealthy(provider, groupRef, 3);
        expect(up.desired).toBe(3);

        await provider.resizeServerGroup(groupRef, 1);
        const down = await waitForHealthy(provider, groupRef, 1);
        expect(down.desired).toBe(1);
        const [survivor] = down.instances.filter((instance) => instance.health !== 'stopped');
        expect((await httpGet(`http://${survivor?.address}/`)).body).toBe(text);
      },
      HEALTH_TIMEOUT_MS,
    );

    it('routes the app to a server group, or takes it offline', async () => {
      const hostnames = provider.defaultHostnames(app);
      expect(hostnames.length).toBeGreaterThan(0);
      expect(hostnames[0]).toContain(app);
      await provider.routeApp({ app, hostnames, serverGroupRef: groupRef });
      await provider.routeApp({ app, hostnames, serverGroupRef: groupRef });
      await provider.routeApp({ app, hostnames, serverGroupRef: null });
      await provider.routeApp({ app, hostnames, serverGroupRef: groupRef });
      await expect(provider.routeApp({ app, hostnames, serverGroupRef: `${app}-v99-web` })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it(
      'replaces an instance that crashed (reconcile does what an Auto Scaling Group does by itself)',
      async () => {
        const before = await waitForHealthy(provider, groupRef, 1);
        const [victim] = before.instances;
        await httpGet(`http://${victim?.address}/__crash`);
        await waitFor(
          'the crashed instance to be replaced by a healthy one',
          async () => {
            await provider.reconcile();
            const info = await provider.describeServerGroup(groupRef);
            const healthy = info?.instances.filter((instance) => instance.health === 'healthy') ?? [];
            return healthy.length === 1 && healthy[0]?.id !== victim?.id;
          },
          HEALTH_TIMEOUT_MS,
          250,
        );
        const after = await waitForHealthy(provider, groupRef, 1);
        expect((await httpGet(`http://${after.instances[0]?.address}/`)).body).toBe(text);
      },
      HEALTH_TIMEOUT_MS,
    );

    it(
      'destroys server groups idempotently; destroyed and unknown groups describe as null',
      async () => {
        await provider.destroyServerGroup(groupRef);
        expect(await provider.describeServerGroup(groupRef)).toBeNull();
        await provider.destroyServerGroup(groupRef);
        await provider.destroyServerGroup(`${app}-v404-web`);
        expect(await provider.describeServerGroup(`${app}-v404-web`)).toBeNull();
        await provider.reconcile();
        expect(await provider.describeServerGroup(groupRef)).toBeNull();
      },
      HEALTH_TIMEOUT_MS,
    );
  });
}

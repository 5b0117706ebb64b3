// The one behaviour every CloudProvider must have, run against each of them
// (local processes, and AWS on the AWS twin). Provider-specific checks (the local
// router, detached builds, pid reuse, app users) live in that provider's own tests.

import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type {
  AppRef,
  Capacity,
  CloudProvider,
  ImageBuildStatus,
  ProcessTemplate,
  ScalingPolicy,
  ServerGroupInfo,
} from '@paas/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BareRepo, createBareRepo } from './git-fixture';
import { sampleAppFiles } from './sample-app';

export interface ProviderUnderTest {
  provider: CloudProvider;
  /**
   * The base URL of an instance's app port, as the load balancer reaches it:
   * its address, unless the cloud maps instance ports (the AWS twin).
   */
  instanceUrl?(instance: { id: string; address: string | null }): string;
  /** Stops everything the provider started and removes its state. */
  cleanup(): Promise<void>;
}

const BUILD_TIMEOUT_MS = 120_000;
const HEALTH_TIMEOUT_MS = 60_000;
const DEFINITION = 'node-1';

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

/** The whole build log, read chunk by chunk with the cursor, until the provider says it is complete. */
export async function readWholeBuildLog(provider: CloudProvider, jobRef: string): Promise<string> {
  let text = '';
  let cursor: string | null = null;
  for (let reads = 0; reads < 10_000; reads++) {
    const chunk = await provider.readImageBuildLog(jobRef, cursor);
    text += chunk.text;
    if (chunk.complete) return text;
    if (chunk.cursor === cursor) await new Promise((resolve) => setTimeout(resolve, 50));
    cursor = chunk.cursor;
  }
  throw new Error(`the log of ${jobRef} never completed`);
}

export async function describeOne(provider: CloudProvider, ref: string): Promise<ServerGroupInfo | null> {
  return (await provider.describeServerGroups([ref])).get(ref) ?? null;
}

export async function waitForHealthy(provider: CloudProvider, ref: string, count: number): Promise<ServerGroupInfo> {
  return waitFor(
    `${count} healthy instance(s) in ${ref}`,
    async () => {
      const info = await describeOne(provider, ref);
      const live = info?.instances.filter((instance) => instance.health !== 'stopped') ?? [];
      return info && live.length === count && live.every((instance) => instance.health === 'healthy') ? info : null;
    },
    HEALTH_TIMEOUT_MS,
    200,
  );
}

export const capacity = (n: number): Capacity => ({ min: n, max: n, desired: n });

export const webProcess = (command = 'npm start'): ProcessTemplate => ({
  command,
  size: 'small',
  healthCheck: {
    path: '/',
    gracePeriodMs: 30_000,
    intervalMs: 1_000,
    timeoutMs: 2_000,
    healthyThreshold: 1,
    unhealthyThreshold: 2,
  },
});

/** The contract, run against a provider: every step, data plane included, for real. */
export function describeCloudProviderContract(name: string, makeProvider: () => Promise<ProviderUnderTest>): void {
  describe(`${name}: cloud provider contract`, () => {
    let subject: ProviderUnderTest;
    let provider: CloudProvider;
    let repo: BareRepo;
    const app: AppRef = { id: randomUUID(), name: `contract-${randomBytes(3).toString('hex')}` };
    const text = `hello from ${app.name}`;
    let sha: string;
    let image: Extract<ImageBuildStatus, { state: 'succeeded' }>;
    let firstBuild: string;
    let configRef: string;
    let templateRef: string;
    const release = { id: randomUUID(), version: 1 };
    const groupId = randomUUID();
    let groupRef: string;
    const at = (instance: { id: string; address: string | null } | undefined, path: string) =>
      `${instance && subject.instanceUrl ? subject.instanceUrl(instance) : `http://${instance?.address}`}${path}`;

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
      'builds an image from a branch: running, then succeeded with the commit it resolved; the log reads in pieces',
      async () => {
        const input = { app, buildId: randomUUID(), repoUrl: repo.url, ref: 'main', definition: DEFINITION };
        const { jobRef } = await provider.startImageBuild(input);
        expect((await provider.getImageBuild(jobRef)).state).toBe('running');
        expect(await provider.startImageBuild(input)).toEqual({ jobRef });

        const log = await readWholeBuildLog(provider, jobRef);
        const status = await waitForBuild(provider, jobRef);
        if (status.state !== 'succeeded')
          throw new Error(`build failed: ${status.state === 'failed' ? status.error : ''}\n${log}`);
        expect(status).toMatchObject({ commitSha: sha, processes: { web: 'npm start' }, stack: 'node' });
        expect(status.imageRef).toBeTruthy();
        expect(log).toContain(`-----> Checked out commit ${sha}`);
        expect(log).toContain('-----> Build succeeded');
        // Reading again from the end gives nothing new.
        const end = await provider.readImageBuildLog(jobRef, null);
        const rest = await provider.readImageBuildLog(jobRef, end.cursor);
        expect(rest).toMatchObject({ text: '', complete: true });
        expect(await provider.startImageBuild(input)).toEqual({ jobRef });
        image = status;
        firstBuild = jobRef;
      },
      BUILD_TIMEOUT_MS,
    );

    it('finds the image again by app, repository, commit and build definition, for reuse', async () => {
      const found = await provider.findImage({ app, repoUrl: repo.url, commitSha: sha, definition: DEFINITION });
      expect(found).toEqual({ imageRef: image.imageRef, processes: image.processes, stack: image.stack });
      expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: sha, definition: 'other-2' })).toBeNull();
      expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: 'e'.repeat(40), definition: DEFINITION })).toBeNull();
    });

    it(
      'reports a failed build with a reason: an app it cannot start, a ref that does not exist',
      async () => {
        const noStart = await repo.commit({ 'package.json': '{ "name": "nothing-to-start" }\n' }, 'no start script');
        const [undetectable, missing] = await Promise.all([
          provider.startImageBuild({ app, buildId: randomUUID(), repoUrl: repo.url, ref: noStart, definition: DEFINITION }),
          provider.startImageBuild({
            app,
            buildId: randomUUID(),
            repoUrl: repo.url,
            ref: 'no-such-branch',
            definition: DEFINITION,
          }),
        ]);
        const [first, second] = await Promise.all([
          waitForBuild(provider, undetectable.jobRef),
          waitForBuild(provider, missing.jobRef),
        ]);
        expect(first.state).toBe('failed');
        expect(first.state === 'failed' && first.error).toMatch(/no start script/);
        expect(await readWholeBuildLog(provider, undetectable.jobRef)).toMatch(/no start script/);
        expect(second.state).toBe('failed');
        expect(second.state === 'failed' && second.error).toMatch(/fetch/i);
        expect(await readWholeBuildLog(provider, missing.jobRef)).toMatch(/no-such-branch is not a branch, tag or commit/);
      },
      BUILD_TIMEOUT_MS,
    );

    it(
      'cancels a running build: it ends failed, and what it made is not an image',
      async () => {
        const slow = await repo.commit(sampleAppFiles({ text: 'slow', scripts: { build: 'sleep 30' } }), 'slow build');
        const { jobRef } = await provider.startImageBuild({
          app,
          buildId: randomUUID(),
          repoUrl: repo.url,
          ref: slow,
          definition: DEFINITION,
        });
        await waitFor(
          'the build to reach npm run build',
          async () => (await readWholeBuildLogSoFar(provider, jobRef)).includes('npm run build'),
          60_000,
        );
        await provider.cancelImageBuild(jobRef);
        const status = await provider.getImageBuild(jobRef);
        expect(status.state).toBe('failed');
        expect(status.state === 'failed' && status.error).toMatch(/cancel/i);
        expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: slow, definition: DEFINITION })).toBeNull();
        await provider.cancelImageBuild(jobRef); // again: nothing to do
      },
      BUILD_TIMEOUT_MS,
    );

    it('stores a config snapshot once: the same values again are fine, other values are refused', async () => {
      const vars = { GREETING: 'hi there', SECRET_TOKEN: 's3cr3t' };
      ({ configRef } = await provider.putConfig({ app, version: 1, vars }));
      expect(await provider.putConfig({ app, version: 1, vars: { SECRET_TOKEN: 's3cr3t', GREETING: 'hi there' } })).toEqual({
        configRef,
      });
      await expect(provider.putConfig({ app, version: 1, vars: { GREETING: 'changed' } })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(provider.putConfig({ app, version: 2, vars: { 'NOT-A-NAME': 'x' } })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      // A snapshot that is deleted is gone; its version can then be stored again.
      const { configRef: spare } = await provider.putConfig({ app, version: 9, vars: { A: '1' } });
      await provider.deleteConfig(spare);
      await provider.deleteConfig(spare);
      expect(await provider.putConfig({ app, version: 9, vars: { A: '2' } })).toEqual({ configRef: spare });
    });

    it('release templates are immutable: same input, same ref; different input for a release is refused', async () => {
      const input = { app, release, imageRef: image.imageRef, configRef, processes: { web: webProcess() } };
      ({ templateRef } = await provider.createReleaseTemplate(input));
      expect(await provider.createReleaseTemplate(input)).toEqual({ templateRef });
      await expect(
        provider.createReleaseTemplate({ ...input, processes: { web: { ...webProcess(), size: 'large' } } }),
      ).rejects.toMatchObject({ code: 'conflict' });
      await expect(
        provider.createReleaseTemplate({ ...input, release: { id: randomUUID(), version: 2 }, imageRef: 'not-an-image' }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it(
      'ensureServerGroup is idempotent; its instances become healthy and serve the app with its config vars',
      async () => {
        const input = { id: groupId, app, release, processType: 'web', templateRef, capacity: capacity(2) };
        ({ ref: groupRef } = await provider.ensureServerGroup(input));
        expect(await provider.ensureServerGroup(input)).toEqual({ ref: groupRef });

        const info = await waitForHealthy(provider, groupRef, 2);
        expect(info).toMatchObject({ ref: groupRef, capacity: capacity(2), enabled: true });
        expect(new Set(info.instances.map((instance) => instance.id)).size).toBe(2);
        for (const instance of info.instances) {
          expect(instance.address).toBeTruthy();
          expect((await httpGet(at(instance, '/'))).body).toBe(text);
          expect((await httpGet(at(instance, '/__env/GREETING'))).body).toBe('hi there');
          expect((await httpGet(at(instance, '/__env/DYNO'))).body).toMatch(/^web\.[\w-]+$/);
        }
        // A group name never derives from the app name: another app's group with any name cannot collide.
        expect(groupRef).not.toContain(app.name);
      },
      HEALTH_TIMEOUT_MS,
    );

    it(
      'sets capacity up and down',
      async () => {
        await provider.setCapacity(groupRef, capacity(3));
        expect((await waitForHealthy(provider, groupRef, 3)).capacity).toEqual(capacity(3));
        await provider.setCapacity(groupRef, capacity(1));
        const down = await waitForHealthy(provider, groupRef, 1);
        expect(down.capacity).toEqual(capacity(1));
        expect((await httpGet(at(down.instances[0], '/'))).body).toBe(text);
        await expect(provider.setCapacity(groupRef, { min: 2, max: 1, desired: 1 })).rejects.toMatchObject({
          code: 'validation_failed',
        });
      },
      HEALTH_TIMEOUT_MS,
    );

    it('registers a group with the app load balancer, switches traffic to it, or takes the app offline', async () => {
      const hostnames = provider.defaultHostnames(app.name);
      expect(hostnames[0]).toContain(app.name);
      await expect(provider.switchTraffic({ app, hostnames, serverGroupRef: groupRef })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await provider.registerServerGroup(app, groupRef);
      await provider.registerServerGroup(app, groupRef);
      await provider.switchTraffic({ app, hostnames, serverGroupRef: groupRef });
      await provider.switchTraffic({ app, hostnames, serverGroupRef: groupRef });
      expect(await provider.describeTraffic(app)).toMatchObject({ hostnames, serverGroupRef: groupRef, registered: [groupRef] });
      await provider.switchTraffic({ app, hostnames, serverGroupRef: null });
      expect((await provider.describeTraffic(app))?.serverGroupRef).toBeNull();
      await provider.switchTraffic({ app, hostnames, serverGroupRef: groupRef });
      await expect(provider.switchTraffic({ app, hostnames, serverGroupRef: `${groupRef}x` })).rejects.toMatchObject({
        code: expect.stringMatching(/not_found|validation_failed/),
      });
    });

    it('changes the hostnames an app answers on and keeps the group that serves', async () => {
      const hostnames = [...provider.defaultHostnames(app.name), `www.${app.name}.example.org`];
      await provider.setHostnames(app, hostnames);
      expect(await provider.describeTraffic(app)).toMatchObject({ hostnames, serverGroupRef: groupRef });
      await provider.setHostnames(app, provider.defaultHostnames(app.name));
      expect(await provider.describeTraffic(app)).toMatchObject({
        hostnames: provider.defaultHostnames(app.name),
        serverGroupRef: groupRef,
      });
      await provider.setHostnames({ id: randomUUID(), name: 'never-routed' }, ['never-routed.example.org']);
    });

    it('sets, replaces and removes a target-tracking scaling policy, idempotently; describe reports it', async () => {
      const scaling = async () => (await describeOne(provider, groupRef))?.scaling;
      expect(await scaling()).toBeNull();
      const cpu: ScalingPolicy = { metric: 'cpu', target: 60 };
      await provider.setScalingPolicy(groupRef, cpu);
      await provider.setScalingPolicy(groupRef, cpu);
      expect(await scaling()).toEqual(cpu);
      // Requests per instance: the group is on the app's load balancer by now, where requests are counted.
      const requests: ScalingPolicy = { metric: 'requests', target: 500 };
      await provider.setScalingPolicy(groupRef, requests);
      await provider.setScalingPolicy(groupRef, requests);
      expect(await scaling()).toEqual(requests);
      await expect(provider.setScalingPolicy(groupRef, { metric: 'cpu', target: 0 })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      expect(await scaling()).toEqual(requests);
      await provider.setScalingPolicy(groupRef, null);
      await provider.setScalingPolicy(groupRef, null);
      expect(await scaling()).toBeNull();
    });

    it('reads no traffic metrics for an app that got no requests through its load balancer', async () => {
      const to = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
      const from = new Date(to.getTime() - 30 * 60_000);
      expect(await provider.readTrafficMetrics({ app, serverGroupRefs: [groupRef], from, to })).toEqual([]);
      const never: AppRef = { id: randomUUID(), name: 'never-routed' };
      expect(await provider.readTrafficMetrics({ app: never, serverGroupRefs: [], from, to })).toEqual([]);
    });

    it('requests a certificate for a custom hostname once, however often it is asked, and deletes it', async () => {
      const input = { app, certificateId: randomUUID(), hostname: `www.${app.name}.example.org` };
      const { certificateRef } = await provider.requestCertificate(input);
      expect(await provider.requestCertificate(input)).toEqual({ certificateRef });
      const info = await provider.describeCertificate(certificateRef);
      expect(['pending_validation', 'issued']).toContain(info.state);
      if (info.state === 'pending_validation') expect(info.validationRecords.length).toBeGreaterThan(0);
      await provider.attachCertificate(app, certificateRef);
      await provider.detachCertificate(app, certificateRef);
      await provider.deleteCertificate(certificateRef);
      await provider.deleteCertificate(certificateRef);
    });

    it('disables a group (it keeps running, warm) and enables it again', async () => {
      await provider.disableServerGroup(groupRef);
      const disabled = await describeOne(provider, groupRef);
      expect(disabled?.enabled).toBe(false);
      expect(disabled?.instances.filter((i) => i.health === 'healthy')).toHaveLength(1);
      await provider.enableServerGroup(groupRef);
      expect((await describeOne(provider, groupRef))?.enabled).toBe(true);
    });

    it('reads the instances’ output with a cursor: the last lines first, then only what is new', async () => {
      const first = await waitFor(
        'the instance log',
        async () => {
          const read = await provider.readInstanceLogs({ app, serverGroupRefs: [groupRef], cursor: null, tail: 50 });
          return read.text.includes('listening on') ? read : null;
        },
        10_000,
      );
      expect(first.text).toMatch(/^app\[web\.[\w-]+\]: listening on \d+$/m);
      const none = await provider.readInstanceLogs({ app, serverGroupRefs: [groupRef], cursor: first.cursor, tail: 50 });
      expect(none.text).toBe('');
      const [instance] = (await waitForHealthy(provider, groupRef, 1)).instances;
      await httpGet(at(instance, '/__log/a%20new%20line'));
      const next = await waitFor(
        'the new line',
        async () => {
          const read = await provider.readInstanceLogs({ app, serverGroupRefs: [groupRef], cursor: none.cursor, tail: 50 });
          return read.text !== '' ? read : null;
        },
        10_000,
      );
      expect(next.text).toMatch(/^app\[web\.[\w-]+\]: a new line\n$/);
    });

    // After the log check: the second instance this launches would add its own lines to the app's log.
    it(
      'keeps the desired count of an autoscaled group within bounds given without one',
      async () => {
        const counts = async () => (await describeOne(provider, groupRef))?.capacity;
        await provider.setScalingPolicy(groupRef, { metric: 'cpu', target: 80 });
        // Bounds around the current count leave it as it is; bounds past it move it to the nearest edge.
        await provider.setCapacity(groupRef, { min: 1, max: 3 });
        expect(await counts()).toEqual({ min: 1, max: 3, desired: 1 });
        await provider.setCapacity(groupRef, { min: 2, max: 3 });
        expect(await counts()).toEqual({ min: 2, max: 3, desired: 2 });
        await provider.setCapacity(groupRef, { min: 1, max: 1 });
        expect(await counts()).toEqual({ min: 1, max: 1, desired: 1 });
        await expect(provider.setCapacity(groupRef, { min: 3, max: 2 })).rejects.toMatchObject({ code: 'validation_failed' });
        // Back to a fixed count for the checks that follow.
        await provider.setScalingPolicy(groupRef, null);
        await provider.setCapacity(groupRef, capacity(1));
        expect((await waitForHealthy(provider, groupRef, 1)).capacity).toEqual(capacity(1));
      },
      HEALTH_TIMEOUT_MS,
    );

    it(
      'brings a crashed process back: the group serves again with one healthy instance',
      async () => {
        // A provider may restart the process in place (an instance agent) or replace the instance
        // (an Auto Scaling Group, or the local reconciler); either way the exit is in the log.
        const before = await provider.readInstanceLogs({ app, serverGroupRefs: [groupRef], cursor: null, tail: 0 });
        const [victim] = (await waitForHealthy(provider, groupRef, 1)).instances;
        await httpGet(at(victim, '/__crash'));
        await waitFor(
          'the crash in the instance log',
          async () =>
            /exited with status 1/.test(
              (await provider.readInstanceLogs({ app, serverGroupRefs: [groupRef], cursor: before.cursor, tail: 50 })).text,
            ),
          HEALTH_TIMEOUT_MS,
          250,
        );
        await waitFor(
          'one healthy instance serving again',
          async () => {
            await provider.reconcile();
            const healthy = (await describeOne(provider, groupRef))?.instances.filter((i) => i.health === 'healthy') ?? [];
            if (healthy.length !== 1) return false;
            return (await httpGet(at(healthy[0], '/'), {}, 1_000).catch(() => null))?.body === text;
          },
          HEALTH_TIMEOUT_MS,
          250,
        );
      },
      HEALTH_TIMEOUT_MS * 2,
    );

    it('destroys a group: it stops and is gone; destroying again is harmless', async () => {
      const other = await provider.ensureServerGroup({
        id: randomUUID(),
        app,
        release,
        processType: 'web',
        templateRef,
        capacity: capacity(1),
      });
      const [instance] = (await waitForHealthy(provider, other.ref, 1)).instances;
      const url = at(instance, '/');
      await provider.destroyServerGroup(other.ref);
      await provider.destroyServerGroup(other.ref);
      expect(await describeOne(provider, other.ref)).toBeNull();
      await expect(httpGet(url, {}, 1_000)).rejects.toThrow();
    });

    it(
      'tears down everything the app owns, and tearing down again is harmless',
      async () => {
        const [instance] = (await waitForHealthy(provider, groupRef, 1)).instances;
        const url = at(instance, '/');
        await provider.teardownApp(app);
        await provider.teardownApp(app);
        expect(await provider.describeTraffic(app)).toBeNull();
        expect(await describeOne(provider, groupRef)).toBeNull();
        expect(await provider.findImage({ app, repoUrl: repo.url, commitSha: sha, definition: DEFINITION })).toBeNull();
        await expect(provider.getImageBuild(firstBuild)).rejects.toMatchObject({ code: 'not_found' });
        await expect(httpGet(url, {}, 1_000)).rejects.toThrow();
      },
      HEALTH_TIMEOUT_MS,
    );
  });
}

async function readWholeBuildLogSoFar(provider: CloudProvider, jobRef: string): Promise<string> {
  let text = '';
  let cursor: string | null = null;
  for (;;) {
    const chunk = await provider.readImageBuildLog(jobRef, cursor);
    text += chunk.text;
    if (chunk.complete || chunk.cursor === cursor || chunk.text === '') return text;
    cursor = chunk.cursor;
  }
}

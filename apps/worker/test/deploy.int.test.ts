import {
  advanceDeployment,
  cancelDeployment,
  observeServerGroups,
  readBuildLog,
  reconcileDeployments,
  reconcileFormations,
  requestDeploy,
  updateAppSettings,
} from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Pushes and API deploys through the engine on real Postgres, Redis and processes.
describe('deployment engine: deploys', () => {
  let engine: Engine;
  let repo: BareRepo;
  let v1: string;

  beforeAll(async () => {
    engine = await startEngine();
    repo = await engine.newApp('engine');
    engine.startWorker();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('takes a push to a healthy, routed release, and records what it observes', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'engine v1' }), 'v1');
    v1 = sha;
    const d = await engine.settled(await engine.push(repo, sha));
    expect(d.state, d.error ?? '').toBe('succeeded');

    const release = await engine.db.release.findFirstOrThrow({ where: { appId: d.appId }, include: { build: true } });
    expect(release).toMatchObject({ version: 1, status: 'active', cause: 'push' });
    expect(release.build).toMatchObject({ commitSha: sha, status: 'succeeded' });
    expect(release.build.log).toContain('npm ci');
    const groups = await engine.db.serverGroup.findMany({ where: { appId: d.appId } });
    expect(groups).toMatchObject([{ processType: 'web', status: 'active', receivesTraffic: true, registered: true, desired: 1 }]);
    expect(groups[0]?.observedHealthy).toBe(1);
    expect(await engine.serving('engine')).toBe('engine v1');

    const app = await engine.app('engine');
    expect(app.formation).toEqual([
      { type: 'web', quantity: 1, size: 'small', autoscaling: null, desired: 1, healthy: 1, starting: 0, failed: 0 },
    ]);
    expect(app.releases[0]).toMatchObject({ version: 1, cause: 'push', commitSha: sha, configVersion: 0, stack: 'node' });
  });

  it('fails a build it cannot detect, leaving the running release alone', async () => {
    const sha = await repo.commit({ 'README.md': 'no app here' }, 'not an app');
    const d = await engine.settled(await engine.push(repo, sha));
    expect(d).toMatchObject({ state: 'failed', errorCode: 'build_failed', step: 'build' });
    expect(d.error).toMatch(/package\.json/);
    expect(await engine.db.release.count({ where: { appId: d.appId } })).toBe(1);
    expect(await engine.serving('engine')).toBe('engine v1');
  });

  it('fails a release whose process crashes, removes its server group, keeps v1 serving', async () => {
    const files = sampleAppFiles({ text: 'never', files: { Procfile: 'web: node -e "process.exit(3)"\n' } });
    const d = await engine.settled(await engine.push(repo, await repo.commit(files, 'crashes on boot')));
    expect(d).toMatchObject({ state: 'failed', errorCode: 'health_check_failed', step: 'await_healthy' });
    expect(d.error).toMatch(/exited with status 3/);
    const v2 = await engine.db.release.findFirstOrThrow({ where: { appId: d.appId, version: 2 } });
    expect(v2.status).toBe('failed');
    const groups = await engine.db.serverGroup.findMany({ where: { releaseId: v2.id } });
    expect(groups.map((g) => g.status)).toEqual(['destroyed']);
    expect(await engine.serving('engine')).toBe('engine v1');
  });

  it('builds a monorepo’s app from its directory; a directory the commit lacks fails the build, saying so', async () => {
    const mono = await engine.newApp('mono');
    const app = sampleAppFiles({ text: 'from services/api' });
    const files = Object.fromEntries(Object.entries(app).map(([path, body]) => [`services/api/${path}`, body]));
    // The root is not an app at all: only the directory builds.
    await mono.commit({ ...files, 'README.md': 'a monorepo' }, 'monorepo');
    await expect(updateAppSettings(engine.ctx, 'mono', { rootDir: '../etc' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await updateAppSettings(engine.ctx, 'mono', { rootDir: 'services/api/' }, admin);
    const built = await engine.settled((await requestDeploy(engine.ctx, 'mono', {}, admin)).id);
    expect(built.state, built.error ?? '').toBe('succeeded');
    expect(await engine.serving('mono')).toBe('from services/api');
    const build = await engine.db.build.findUniqueOrThrow({ where: { id: built.buildId as string } });
    expect(build.definition).toMatch(/:services\/api$/);
    expect(build.log).toContain('Building from services/api/');

    await updateAppSettings(engine.ctx, 'mono', { rootDir: 'services/web' }, admin);
    const missing = await engine.settled((await requestDeploy(engine.ctx, 'mono', {}, admin)).id);
    expect(missing).toMatchObject({ state: 'failed', errorCode: 'build_failed' });
    const failedBuild = await engine.db.build.findUniqueOrThrow({ where: { id: missing.buildId as string } });
    expect(failedBuild.log).toContain('services/web is not a directory of the repository');
    expect(await engine.serving('mono')).toBe('from services/api');
  });

  it('deploys without GitHub: the tracked branch head, then an exact commit', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'from the api' }), 'api deploy');
    const asked = await requestDeploy(engine.ctx, 'engine', {}, admin);
    expect(asked).toMatchObject({ kind: 'deploy', state: 'queued', ref: 'main', commitSha: null });
    const d = await engine.settled(asked.id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(d.commitSha).toBe(sha);
    expect(await engine.serving('engine')).toBe('from the api');
    const release = await engine.db.release.findFirstOrThrow({ where: { appId: d.appId }, orderBy: { version: 'desc' } });
    expect(release.cause).toBe('deploy');

    const again = await requestDeploy(engine.ctx, 'engine', { ref: v1 }, admin);
    const redeployed = await engine.settled(again.id);
    expect(redeployed.state, redeployed.error ?? '').toBe('succeeded');
    expect(await engine.serving('engine')).toBe('engine v1');
    // That commit was built before: its image is reused, nothing is built again.
    expect(await engine.db.build.count({ where: { appId: d.appId, commitSha: v1 } })).toBe(1);
    const log = await readBuildLog(engine.ctx, 'engine', again.id);
    expect(log.text).toMatch(/^-----> This deploy reuses build .*, made earlier/);
  });

  it('fails a deploy of a ref that does not exist at the build, with git’s answer in the log', async () => {
    const asked = await requestDeploy(engine.ctx, 'engine', { ref: 'no-such-branch' }, admin);
    const d = await engine.settled(asked.id);
    expect(d).toMatchObject({ state: 'failed', errorCode: 'build_failed', step: 'build' });
    const build = await engine.db.build.findUniqueOrThrow({ where: { id: d.buildId as string } });
    expect(build.log).toMatch(/no-such-branch is not a branch, tag or commit/);
    expect(await engine.serving('engine')).toBe('engine v1');
    await expect(requestDeploy(engine.ctx, 'engine', { ref: '../etc' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(requestDeploy(engine.ctx, 'nope', {}, admin)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deploys a commit pushed many times at once exactly once', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'burst' }), 'burst');
    const deliveries = await Promise.all([1, 2, 3, 4, 5].map(async () => engine.relayed(await engine.storePush(repo, sha))));
    const made = deliveries.flatMap((d) => d.deployments);
    expect(made).toHaveLength(1);
    for (const d of deliveries.filter((x) => x.deployments.length === 0)) {
      expect(d.status).toBe('processed');
      expect(d.result).toMatch(new RegExp(`${sha.slice(0, 7)} is already (deploying|live)|superseded by ${sha.slice(0, 7)}`));
    }
    expect((await engine.settled(made[0]?.id as string)).state).toBe('succeeded');
    expect(await engine.db.build.count({ where: { commitSha: sha } })).toBe(1);
    expect(await engine.serving('engine')).toBe('burst');
  });

  it('deploys only the newest of a burst of pushes relayed together, whatever order they arrived in', async () => {
    const a = await repo.commit(sampleAppFiles({ text: 'burst a' }), 'a');
    const b = await repo.commit(sampleAppFiles({ text: 'burst b' }), 'b');
    const c = await repo.commit(sampleAppFiles({ text: 'burst c' }), 'c');
    // Received together in the order C, A, B (before = the head each push moved from), relayed in one batch.
    const rows = await engine.storePushes(repo, [{ sha: c, before: b }, { sha: a }, { sha: b, before: a }]);
    const [forC, forA, forB] = await Promise.all(rows.map((id) => engine.relayed(id)));
    expect(forC?.deployments).toHaveLength(1);
    for (const d of [forA, forB]) {
      expect(d).toMatchObject({ status: 'processed', result: `superseded by ${c.slice(0, 7)}, pushed in the same burst` });
      expect(d?.deployments).toEqual([]);
    }
    expect((await engine.settled(forC?.deployments[0]?.id as string)).state).toBe('succeeded');
    expect(await engine.db.build.count({ where: { commitSha: { in: [a, b] } } })).toBe(0);
    expect(await engine.serving('engine')).toBe('burst c');
  });

  it('never rolls a late push of an older commit over a newer one', async () => {
    const a = await repo.commit(sampleAppFiles({ text: 'commit a' }), 'a');
    const b = await repo.commit(sampleAppFiles({ text: 'commit b' }), 'b');
    // GitHub sent A's push first, but B's (before = A) arrives first.
    const forB = await engine.push(repo, b, a);
    expect((await engine.settled(forB)).state).toBe('succeeded');
    const forA = await engine.push(repo, a);
    const late = await engine.settled(forA);
    expect(late).toMatchObject({ state: 'canceled', errorCode: 'superseded' });
    expect(late.error).toContain(b.slice(0, 7));
    expect(await engine.serving('engine')).toBe('commit b');
  });

  it('applies a formation change whose job was lost', async () => {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'engine' } });
    // Saved, never enqueued: as if Redis was down when the user moved the slider.
    await engine.db.processType.update({ where: { appId_type: { appId: app.id, type: 'web' } }, data: { quantity: 2 } });
    expect(await reconcileFormations(engine.ctx)).toBe(1);
    const group = await engine.db.serverGroup.findFirstOrThrow({ where: { appId: app.id, receivesTraffic: true } });
    expect(group.desired).toBe(2);
    await waitUntil(
      'two healthy web instances recorded',
      async () => {
        await observeServerGroups(engine.ctx); // what the worker's reconcile loop does every few seconds
        return (await engine.app('engine')).formation[0]?.healthy === 2;
      },
      20_000,
    );
    expect(await reconcileFormations(engine.ctx)).toBe(0);
  });

  it('resumes after lost jobs and never runs one step twice at once', async () => {
    await engine.stopWorker();
    const sha = await repo.commit(sampleAppFiles({ text: 'engine resumed' }), 'resumed');
    const id = await engine.push(repo, sha);
    // The worker was down: the queued job is lost as if Redis had been flushed.
    await engine.queue.queue.obliterate({ force: true });

    // Two runners racing on the same deployment: exactly one claims the step.
    const results = await Promise.all([advanceDeployment(engine.ctx, id), advanceDeployment(engine.ctx, id)]);
    expect(results.filter((r) => r.type === 'skipped')).toHaveLength(1);
    await engine.queue.queue.obliterate({ force: true });

    // The reconciler finds the overdue deployment and delivers it again.
    await engine.db.deployment.update({ where: { id }, data: { nextCheckAt: new Date(Date.now() - 60_000) } });
    expect(await reconcileDeployments(engine.ctx)).toBeGreaterThanOrEqual(1);
    engine.startWorker();
    const d = await engine.settled(id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('engine')).toBe('engine resumed');
    expect(await engine.db.build.count({ where: { deployments: { some: { id } } } })).toBe(1);
  });

  it('refuses to cancel a finished deployment, and cancels a queued one before it starts', async () => {
    const done = await engine.db.deployment.findFirstOrThrow({ where: { state: 'succeeded' } });
    await expect(cancelDeployment(engine.ctx, 'engine', done.id, admin)).rejects.toMatchObject({ code: 'conflict' });
    await expect(cancelDeployment(engine.ctx, 'engine', '1234', admin)).rejects.toMatchObject({ code: 'not_found' });
  });
});

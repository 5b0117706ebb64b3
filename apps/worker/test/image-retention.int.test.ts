import { stat } from 'node:fs/promises';
import { createLocalProvider, localDataLayout } from '@paas/cloud/local';
import { requestDeploy, requestRollback } from '@paas/core';
import { type BareRepo, sampleAppFiles } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// The local provider's disk housekeeping against the deployment engine: a
// rollback to a release whose image it deleted fails, saying which commit to
// deploy again, and leaves the serving release alone; deploying that commit works.
describe('deployment engine: rollback past the local image retention', () => {
  let engine: Engine;
  let repo: BareRepo;
  const shas: string[] = [];

  beforeAll(async () => {
    engine = await startEngine();
    repo = await engine.newApp('keep');
    engine.startWorker();
    for (const text of ['keep one', 'keep two', 'keep three']) {
      const sha = await repo.commit(sampleAppFiles({ text }), text);
      shas.push(sha);
      const d = await engine.settled(await engine.push(repo, sha));
      if (d.state !== 'succeeded') throw new Error(`setup deploy failed: ${d.error}`);
    }
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('fails a rollback to a release whose image was reclaimed with image_reclaimed and the commit to deploy', async () => {
    // Keep one image per app: v3 serves, v2 is kept warm (its group protects its image), v1's image goes.
    const housekeeper = createLocalProvider({
      dataDir: engine.dataDir,
      housekeeping: { intervalMs: 0, keepImages: 1, safetyAgeMs: 0 },
    });
    await housekeeper.reconcile();
    const builds = await engine.db.build.findMany({ orderBy: { createdAt: 'asc' } });
    const present = (imageRef: string | null) =>
      stat(localDataLayout(engine.dataDir).image(imageRef as string).app).then(
        () => true,
        () => false,
      );
    expect(await Promise.all(builds.map((b) => present(b.imageRef)))).toEqual([false, true, true]);

    const d = await engine.settled((await requestRollback(engine.ctx, 'keep', { version: 1 }, admin)).id);
    expect(d).toMatchObject({ state: 'failed', errorCode: 'image_reclaimed' });
    expect(d.error).toMatch(new RegExp(`Release v1 .*image was deleted .*Deploy commit ${shas[0]?.slice(0, 7)} again`));
    expect(await engine.serving('keep')).toBe('keep three');

    // Doing what it says works: the commit is built again (the index forgot the deleted image).
    const again = await engine.settled((await requestDeploy(engine.ctx, 'keep', { ref: shas[0] }, admin)).id);
    expect(again.state, again.error ?? '').toBe('succeeded');
    expect(await engine.serving('keep')).toBe('keep one');
    expect(await engine.db.build.count()).toBe(4);
  }, 60_000);

  it('builds a commit again when a deploy would share a build whose image was reclaimed', async () => {
    const housekeeper = createLocalProvider({
      dataDir: engine.dataDir,
      housekeeping: { intervalMs: 0, keepImages: 1, safetyAgeMs: 0 },
    });
    await housekeeper.reconcile();
    const second = await engine.db.build.findFirstOrThrow({ where: { commitSha: shas[1] } });
    expect(await stat(localDataLayout(engine.dataDir).image(second.imageRef as string).app).catch(() => null)).toBeNull();

    const d = await engine.settled((await requestDeploy(engine.ctx, 'keep', { ref: shas[1] }, admin)).id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(d.buildId).not.toBe(second.id);
    expect(await engine.serving('keep')).toBe('keep two');
    expect(await engine.db.build.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ imageRef: null });
  }, 60_000);
});

import { findTaggedProcesses } from '@paas/cloud/local-testing';
import {
  cancelDeployment,
  destroyApp,
  getConfig,
  getDeployment,
  requestAppDeletion,
  requestDeploy,
  requestRollback,
  updateConfig,
  updateFormation,
} from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Heroku's release model on the engine: config releases, rollbacks, cancel,
// build deadlines, resize and deletion, on real Postgres, Redis and processes.
describe('deployment engine: releases', () => {
  let engine: Engine;
  let repo: BareRepo;
  const shas: string[] = [];

  beforeAll(async () => {
    engine = await startEngine({ buildTimeoutMs: 8_000 });
    repo = await engine.newApp('rel');
    engine.startWorker();
    for (const text of ['rel one', 'rel two']) {
      const sha = await repo.commit(sampleAppFiles({ text }), text);
      shas.push(sha);
      const d = await engine.settled(await engine.push(repo, sha));
      if (d.state !== 'succeeded') throw new Error(`setup deploy failed: ${d.error}`);
    }
  });
  afterAll(async () => {
    await engine?.stop();
  });

  const deployments = (appName = 'rel') => engine.db.deployment.count({ where: { app: { name: appName } } });

  it('sets a config var: a new release with the same build, and the processes see it; no build', async () => {
    const builds = await engine.db.build.count();
    const result = await updateConfig(engine.ctx, 'rel', { GREETING: 'hello there', OTHER: 'x' }, admin);
    expect(result).toMatchObject({ changed: true, version: 1, config: { GREETING: 'hello there', OTHER: 'x' } });
    const d = await engine.settled(result.deployment?.id as string);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel', '/__env/GREETING')).toBe('hello there');
    expect(await engine.db.build.count()).toBe(builds);
    const release = await engine.db.release.findFirstOrThrow({ where: { status: 'active' }, include: { configVersion: true } });
    expect(release).toMatchObject({ version: 3, cause: 'config', description: 'Set GREETING, OTHER' });
    expect(release.configVersion?.version).toBe(1);

    // Encrypted at rest: the stored bytes are not the value.
    const stored = await engine.db.configVar.findFirstOrThrow({ where: { key: 'GREETING' } });
    expect(Buffer.from(stored.valueEnc).toString('latin1')).not.toContain('hello there');
    // The audit log names keys, never values.
    const audit = await engine.db.auditEvent.findFirstOrThrow({ where: { action: 'config.update' } });
    expect(JSON.stringify(audit.data)).not.toContain('hello there');

    const unset = await updateConfig(engine.ctx, 'rel', { OTHER: null }, admin);
    expect((await engine.settled(unset.deployment?.id as string)).state).toBe('succeeded');
    expect(await getConfig(engine.ctx, 'rel')).toEqual({ version: 2, vars: { GREETING: 'hello there' } });
    const same = await updateConfig(engine.ctx, 'rel', { GREETING: 'hello there' }, admin);
    expect(same).toMatchObject({ changed: false, deployment: null, version: 2 });
  });

  it('refuses bad config and writes nothing', async () => {
    const before = {
      deployments: await deployments(),
      vars: await engine.db.configVar.count(),
      versions: await engine.db.configVersion.count(),
    };
    const tooMany = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`K${i}`, 'v']));
    for (const bad of [
      { '1BAD': 'x' },
      { 'has-dash': 'x' },
      { PORT: '1' },
      { BIG: 'x'.repeat(32 * 1024 + 1) },
      { NUM: 5 },
      tooMany,
      {},
      ['A'],
    ]) {
      await expect(updateConfig(engine.ctx, 'rel', bad, admin), JSON.stringify(bad).slice(0, 40)).rejects.toMatchObject({
        code: 'validation_failed',
      });
    }
    expect({
      deployments: await deployments(),
      vars: await engine.db.configVar.count(),
      versions: await engine.db.configVersion.count(),
    }).toEqual(before);
  });

  it('rolls back to the release just replaced at once (its group is kept warm), never rebuilding', async () => {
    const builds = await engine.db.build.count();
    const groupsBefore = await engine.db.serverGroup.count();
    // v4 is serving (config without OTHER); v3 had OTHER=x and its web group is kept, disabled.
    const asked = await requestRollback(engine.ctx, 'rel', { version: 3 }, admin);
    const d = await engine.settled(asked.id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel', '/__env/OTHER')).toBe('x');
    expect(await engine.db.serverGroup.count()).toBe(groupsBefore);
    expect(await engine.db.build.count()).toBe(builds);
    const release = await engine.db.release.findFirstOrThrow({ where: { status: 'active' }, include: { sourceRelease: true } });
    expect(release).toMatchObject({ version: 5, cause: 'rollback', description: 'Rollback to v3' });
    expect(release.sourceRelease?.version).toBe(3);
    // As on Heroku, the app's config is now the config it rolled back to; the next deploy starts from it.
    const config = await getConfig(engine.ctx, 'rel');
    expect(config.vars).toEqual({ GREETING: 'hello there', OTHER: 'x' });
    // …as a new config version, the one the rollback release names.
    expect(config.version).toBe(3);
    const named = await engine.db.configVersion.findUniqueOrThrow({ where: { id: release.configVersionId as string } });
    expect(named.version).toBe(3);
  });

  it('rolls back to an older release whose group is gone by launching it again, with its config', async () => {
    const builds = await engine.db.build.count();
    const d = await engine.settled((await requestRollback(engine.ctx, 'rel', { version: 1 }, admin)).id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel')).toBe('rel one');
    expect(await engine.serving('rel', '/__env/GREETING').catch(() => 'unset')).not.toBe('hello there');
    expect(await engine.db.build.count()).toBe(builds);
    expect((await getConfig(engine.ctx, 'rel')).vars).toEqual({});
  });

  it('refuses a rollback to a release that does not exist or never succeeded', async () => {
    const before = await deployments();
    await expect(requestRollback(engine.ctx, 'rel', { version: 99 }, admin)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(requestRollback(engine.ctx, 'rel', { version: 0 }, admin)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(requestRollback(engine.ctx, 'rel', { version: 'two' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'rel' } });
    const crash = await repo.commit(sampleAppFiles({ text: 'x', files: { Procfile: 'web: exit 1\n' } }), 'crash');
    const failed = await engine.settled(await engine.push(repo, crash));
    expect(failed.state).toBe('failed');
    const bad = await engine.db.release.findFirstOrThrow({ where: { appId: app.id, status: 'failed' } });
    await expect(requestRollback(engine.ctx, 'rel', { version: bad.version }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/never ran/),
    });
    expect(await deployments()).toBe(before + 1);
  });

  it('cancels a hanging build: the builder is stopped, the serving release untouched, and a new deploy works', async () => {
    const hang = await repo.commit(
      sampleAppFiles({ text: 'hang', scripts: { build: 'echo building forever; sleep 600' } }),
      'hangs',
    );
    const id = await engine.push(repo, hang);
    await waitUntil(
      'the build to hang',
      async () => (await engine.db.build.findFirst({ where: { commitSha: hang } }))?.log.includes('building forever'),
      30_000,
    );
    const build = await engine.db.build.findFirstOrThrow({ where: { commitSha: hang } });
    expect(await findTaggedProcesses('PAAS_BUILD_ID', build.id)).not.toHaveLength(0);

    const canceled = await cancelDeployment(engine.ctx, 'rel', id, admin);
    expect(canceled.cancelRequested).toBe(true);
    const d = await engine.settled(id);
    expect(d).toMatchObject({ state: 'canceled', errorCode: 'canceled' });
    const stopped = await engine.db.build.findUniqueOrThrow({ where: { id: build.id } });
    expect(stopped).toMatchObject({ status: 'canceled' });
    expect(stopped.log).toMatch(/building forever\n[\s\S]* ! {5}Build cancelled\n$/);
    const shown = await getDeployment(engine.ctx, 'rel', id);
    expect(shown.steps[0]).toMatchObject({ name: 'build', state: 'canceled' });
    expect(shown.steps[0]?.durationMs).toBeGreaterThan(0);
    expect(await findTaggedProcesses('PAAS_BUILD_ID', build.id)).toHaveLength(0);
    expect(await engine.serving('rel')).toBe('rel one');

    const fixed = await repo.commit(sampleAppFiles({ text: 'rel fixed' }), 'fixed');
    const again = await engine.settled((await requestDeploy(engine.ctx, 'rel', { ref: fixed }, admin)).id);
    expect(again.state, again.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel')).toBe('rel fixed');
  });

  it('stops a build that runs past its deadline, and says so', async () => {
    const slow = await repo.commit(sampleAppFiles({ text: 'slow', scripts: { build: 'sleep 600' } }), 'too slow');
    const d = await engine.settled(await engine.push(repo, slow), 60_000);
    expect(d).toMatchObject({ state: 'failed', errorCode: 'build_timeout' });
    expect(d.error).toMatch(/ran past its 8 s limit/);
    const build = await engine.db.build.findFirstOrThrow({ where: { commitSha: slow } });
    expect(await findTaggedProcesses('PAAS_BUILD_ID', build.id)).toHaveLength(0);
    expect(await engine.serving('rel')).toBe('rel fixed');
  });

  it('resizes a process type by rolling out a release with the new size', async () => {
    const result = await updateFormation(engine.ctx, 'rel', 'web', { size: 'large' }, admin);
    expect(result.formation).toEqual({ type: 'web', quantity: 1, size: 'large', autoscaling: null });
    const d = await engine.settled(result.deployment?.id as string);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel', '/__env/MEMORY_AVAILABLE')).toBe('2048');
    expect((await engine.db.release.findFirstOrThrow({ where: { status: 'active' } })).cause).toBe('resize');
    await expect(updateFormation(engine.ctx, 'rel', 'web', { size: 'huge' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('deletes an app: its processes, builds and rows go, and its name can be used again', async () => {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'rel' } });
    const groups = await engine.db.serverGroup.findMany({ where: { appId: app.id, status: { not: 'destroyed' } } });
    expect(groups.length).toBeGreaterThan(0);
    await requestAppDeletion(engine.ctx, 'rel', admin);
    await expect(requestDeploy(engine.ctx, 'rel', {}, admin)).rejects.toMatchObject({ code: 'conflict' });
    await waitUntil('the app to be gone', async () => (await engine.db.app.count({ where: { id: app.id } })) === 0, 30_000);
    expect(await destroyApp(engine.ctx, app.id)).toEqual({ type: 'skipped', reason: 'already deleted' });
    expect(await findTaggedProcesses('PAAS_LOCAL_DATA_DIR', engine.dataDir)).toHaveLength(0);
    expect(await engine.db.build.count({ where: { appId: app.id } })).toBe(0);
    expect(await engine.db.auditEvent.count({ where: { targetId: app.id, action: 'app.destroyed' } })).toBe(1);

    const again = await engine.newApp('rel');
    const sha = await again.commit(sampleAppFiles({ text: 'reborn' }), 'reborn');
    const d = await engine.settled(await engine.push(again, sha));
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('rel')).toBe('reborn');
  });
});

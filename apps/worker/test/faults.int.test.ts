import { cancelDeployment, requestDeploy, requestRollback, updateConfig } from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// The provider fails at the worst moments (injected around real calls): the
// engine must never destroy what serves, and must send traffic back.
describe('deployment engine: faults around the traffic switch', () => {
  let engine: Engine;
  let repo: BareRepo;

  beforeAll(async () => {
    engine = await startEngine();
    repo = await engine.newApp('faulty');
    engine.startWorker();
    const d = await engine.settled(await engine.push(repo, await repo.commit(sampleAppFiles({ text: 'stable' }), 'stable')));
    if (d.state !== 'succeeded') throw new Error(`setup deploy failed: ${d.error}`);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  async function deployFailing(text: string, method: 'switchTraffic', fault: 'fail-before' | 'fail-after') {
    let armed = true;
    engine.faults[method] = () => {
      if (!armed) return null;
      armed = false; // only the deploy's own switch fails; the switch back works
      return fault;
    };
    try {
      const sha = await repo.commit(sampleAppFiles({ text }), text);
      return await engine.settled((await requestDeploy(engine.ctx, 'faulty', { ref: sha }, admin)).id);
    } finally {
      delete engine.faults[method];
    }
  }

  async function servingGroups() {
    return engine.db.serverGroup.findMany({ where: { app: { name: 'faulty' }, receivesTraffic: true } });
  }

  it('a switch that fails before it happens: the deploy fails, the old release keeps serving, its group intact', async () => {
    const [before] = await servingGroups();
    const d = await deployFailing('never served', 'switchTraffic', 'fail-before');
    expect(d).toMatchObject({ state: 'failed', step: 'route', errorCode: 'internal' });
    expect(await servingGroups()).toMatchObject([{ id: before?.id, status: 'active' }]);
    expect(await engine.serving('faulty')).toBe('stable');
    const failed = await engine.db.release.findFirstOrThrow({ where: { id: d.releaseId as string } });
    expect(failed.status).toBe('failed');
    expect(await engine.db.release.findFirstOrThrow({ where: { app: { name: 'faulty' }, status: 'active' } })).toMatchObject({
      version: 1,
    });
    const traffic = await engine.provider().describeTraffic({ id: d.appId, name: 'faulty' });
    expect(traffic?.serverGroupRef).toBe(before?.providerRef);
  });

  it('a switch that took effect and then reported a failure: traffic goes back to the release that served before', async () => {
    const [before] = await servingGroups();
    const d = await deployFailing('served for a moment', 'switchTraffic', 'fail-after');
    expect(d).toMatchObject({ state: 'failed', step: 'route' });
    expect(await servingGroups()).toMatchObject([{ id: before?.id, status: 'active' }]);
    const traffic = await engine.provider().describeTraffic({ id: d.appId, name: 'faulty' });
    expect(traffic?.serverGroupRef).toBe(before?.providerRef);
    expect(await engine.serving('faulty')).toBe('stable');
    // The group this deploy launched is gone; the one that serves never was touched.
    const launched = await engine.db.serverGroup.findMany({ where: { releaseId: d.releaseId as string } });
    expect(launched.map((g) => g.status)).toEqual(['destroyed']);
  });

  it('a cancel after the switch sends traffic back too', async () => {
    const [before] = await servingGroups();
    // The retire step keeps hitting throttling, so the deployment sits after the switch.
    engine.faults.disableServerGroup = () => 'retryable';
    try {
      const sha = await repo.commit(sampleAppFiles({ text: 'cancelled after switch' }), 'late cancel');
      const { id } = await requestDeploy(engine.ctx, 'faulty', { ref: sha }, admin);
      await waitUntil(
        'the deploy to switch traffic',
        async () => (await engine.db.deployment.findUniqueOrThrow({ where: { id } })).step === 'retire',
        30_000,
      );
      expect(await engine.serving('faulty')).toBe('cancelled after switch');
      await cancelDeployment(engine.ctx, 'faulty', id, admin);
      delete engine.faults.disableServerGroup;
      const d = await engine.settled(id);
      expect(d).toMatchObject({ state: 'canceled', errorCode: 'canceled' });
    } finally {
      delete engine.faults.disableServerGroup;
    }
    expect(await servingGroups()).toMatchObject([{ id: before?.id }]);
    expect(await engine.serving('faulty')).toBe('stable');
  });

  it('retries transient cloud errors within the step instead of failing the deploy', async () => {
    engine.faults.ensureServerGroup = (call) => (call <= 2 ? 'retryable' : null);
    engine.calls.delete('ensureServerGroup');
    try {
      const sha = await repo.commit(sampleAppFiles({ text: 'after throttling' }), 'throttled');
      const d = await engine.settled((await requestDeploy(engine.ctx, 'faulty', { ref: sha }, admin)).id);
      expect(d.state, d.error ?? '').toBe('succeeded');
      expect((d.stepData as { launch?: { retries?: number } }).launch?.retries).toBe(2);
    } finally {
      delete engine.faults.ensureServerGroup;
    }
    expect(await engine.serving('faulty')).toBe('after throttling');
  });

  it('queues changes behind a rollout without polling, wakes them when it ends, and lets a rollback go first', async () => {
    // A deploy that sits in its last step (throttled) holds the app's rollout slot.
    engine.faults.disableServerGroup = () => 'retryable';
    const sha = await repo.commit(sampleAppFiles({ text: 'holder' }), 'holder');
    const holder = await requestDeploy(engine.ctx, 'faulty', { ref: sha }, admin);
    await waitUntil(
      'the holder to reach retire',
      async () => (await engine.db.deployment.findUniqueOrThrow({ where: { id: holder.id } })).step === 'retire',
      30_000,
    );

    const config = await updateConfig(engine.ctx, 'faulty', { QUEUED: 'yes' }, admin);
    const rollback = await requestRollback(engine.ctx, 'faulty', { version: 1 }, admin);
    const parked = async (id: string) => {
      const d = await engine.db.deployment.findUniqueOrThrow({ where: { id } });
      return d.state === 'queued' && d.nextCheckAt !== null && d.nextCheckAt.getTime() - Date.now() > 30_000;
    };
    await waitUntil(
      'both to wait for their turn, parked',
      async () => (await parked(config.deployment?.id as string)) && (await parked(rollback.id)),
      10_000,
    );
    const attempts = (await engine.db.deployment.findUniqueOrThrow({ where: { id: config.deployment?.id as string } })).attempts;

    delete engine.faults.disableServerGroup;
    const [first, second] = await Promise.all([engine.settled(rollback.id), engine.settled(config.deployment?.id as string)]);
    expect(first.state, first.error ?? '').toBe('succeeded');
    expect(second.state, second.error ?? '').toBe('succeeded');
    // Woken, not polled: the parked deployment was never looked at while it waited.
    expect(attempts).toBe(0);
    // The rollback went before the config change that was asked for earlier.
    expect((first.startedAt as Date).getTime()).toBeLessThan((second.startedAt as Date).getTime());
    expect(await engine.serving('faulty', '/__env/QUEUED')).toBe('yes');
  });
});

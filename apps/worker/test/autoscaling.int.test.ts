import { applyFormation, observeServerGroups, requestDeploy, updateFormation } from '@paas/core';
import { type BareRepo, describeOne, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Autoscaling is part of the formation: it reaches the serving group (bounds
// and target-tracking policy), follows the app into each new release's group,
// and goes away when turned off, on real Postgres, Redis and processes.
describe('autoscaling on the engine', () => {
  let engine: Engine;
  let repo: BareRepo;
  const app = 'scaler';

  const servingGroup = async () => {
    const row = await engine.db.serverGroup.findFirstOrThrow({
      where: { app: { name: app }, processType: 'web', status: 'active' },
      orderBy: { createdAt: 'desc' },
    });
    const info = await describeOne(await engine.providerOf(app), row.providerRef as string);
    return { row, info };
  };

  beforeAll(async () => {
    engine = await startEngine({});
    repo = await engine.newApp(app);
    engine.startWorker();
    const sha = await repo.commit(sampleAppFiles({ text: 'scaler' }), 'first');
    const d = await engine.settled(await engine.push(repo, sha));
    if (d.state !== 'succeeded') throw new Error(`setup deploy failed: ${d.error}`);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('applies the policy and bounds to the serving group, and keeps the count the autoscaler chose', async () => {
    const policy = { metric: 'requests', target: 600, min: 1, max: 3 };
    const result = await updateFormation(engine.ctx, app, 'web', { autoscaling: policy }, admin);
    expect(result.formation).toMatchObject({ quantity: 1, autoscaling: policy });
    await waitUntil('the group to get the policy', async () => (await servingGroup()).info?.scaling?.target === 600, 20_000, 100);
    const { row, info } = await servingGroup();
    expect(info?.scaling).toEqual({ metric: 'requests', target: 600 });
    expect(info?.capacity).toMatchObject({ min: 1, max: 3, desired: 1 });
    expect(row).toMatchObject({ minSize: 1, maxSize: 3, desired: 1, scaling: { metric: 'requests', target: 600 } });

    // As an autoscaler would: the cloud moves the count; applying the formation again leaves it there.
    await (await engine.providerOf(app)).setCapacity(row.providerRef as string, { min: 1, max: 3, desired: 2 });
    await applyFormation(engine.ctx, row.appId, 'web');
    expect((await servingGroup()).info?.capacity.desired).toBe(2);

    // A slider move inside the range sets the count now.
    await updateFormation(engine.ctx, app, 'web', { quantity: 3 }, admin);
    await waitUntil('the group at 3', async () => (await servingGroup()).info?.capacity.desired === 3, 20_000, 100);
  });

  it("starts a new release's group where the autoscaler has got to, with the same policy", async () => {
    await waitUntil(
      'the observed count',
      async () => {
        // What the worker's reconcile loop records every few seconds.
        await observeServerGroups(engine.ctx);
        return (await servingGroup()).row.observedDesired === 3;
      },
      20_000,
      100,
    );
    await repo.commit(sampleAppFiles({ text: 'scaler two' }), 'second');
    const d = await engine.settled((await requestDeploy(engine.ctx, app, {}, admin)).id);
    expect(d.state, d.error ?? '').toBe('succeeded');
    const { row, info } = await servingGroup();
    expect(info?.scaling).toEqual({ metric: 'requests', target: 600 });
    expect(info?.capacity).toMatchObject({ min: 1, max: 3, desired: 3 });
    expect(row).toMatchObject({ minSize: 1, maxSize: 3 });
  });

  it('turns off: the policy is removed and the count is fixed again', async () => {
    await observeServerGroups(engine.ctx);
    // Off without a count keeps the one the autoscaler had got to.
    const off = await updateFormation(engine.ctx, app, 'web', { autoscaling: null }, admin);
    expect(off.formation).toMatchObject({ quantity: 3, autoscaling: null });
    await updateFormation(engine.ctx, app, 'web', { quantity: 1 }, admin);
    await waitUntil(
      'the policy removed and the count fixed at 1',
      async () => {
        const { row, info } = await servingGroup();
        return info?.scaling === null && info.capacity.max === 1 && row.maxSize === 1;
      },
      20_000,
      100,
    );
    const { row, info } = await servingGroup();
    expect(info?.capacity).toEqual({ min: 1, max: 1, desired: 1 });
    expect(row).toMatchObject({ minSize: 1, maxSize: 1, desired: 1, scaling: null });
  });

  it('a formation change saved while an older one is being applied wins, whichever reaches the group last', async () => {
    // A job applying 3 is slow to reach the group: by the time it does, the
    // formation says 2 and that change's own job has already applied it.
    await engine.db.processType.update({
      where: { appId_type: { appId: (await servingGroup()).row.appId, type: 'web' } },
      data: { quantity: 3 },
    });
    let overtaken = false;
    const slowClouds = {
      ...engine.ctx.clouds,
      forAccount: (account: Parameters<typeof engine.ctx.clouds.forAccount>[0]) => {
        const real = engine.ctx.clouds.forAccount(account);
        return {
          ...real,
          setScalingPolicy: real.setScalingPolicy.bind(real),
          setCapacity: async (ref: string, capacity: Parameters<typeof real.setCapacity>[1]) => {
            if (!overtaken) {
              overtaken = true;
              await updateFormation(engine.ctx, app, 'web', { quantity: 2 }, admin);
              await waitUntil(
                "the newer change's job to apply 2",
                async () => {
                  const { row, info } = await servingGroup();
                  return info?.capacity.desired === 2 && row.desired === 2;
                },
                20_000,
                100,
              );
            }
            return real.setCapacity(ref, capacity);
          },
        };
      },
    };
    const { row: before } = await servingGroup();
    await applyFormation({ ...engine.ctx, clouds: slowClouds }, before.appId, 'web');
    expect(overtaken).toBe(true);
    const { row, info } = await servingGroup();
    expect(info?.capacity).toEqual({ min: 2, max: 2, desired: 2 });
    expect(row).toMatchObject({ minSize: 2, maxSize: 2, desired: 2 });
  });
});

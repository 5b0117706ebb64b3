import { createApp, listAppDeliveries, redeliverDelivery, relayPendingDeliveries } from '@paas/core';
import { sampleAppFiles } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startEngine } from './engine-fixture';

// The worker's relay of stored deliveries: what each delivery meant for each
// app of its repository, a delivery it cannot act on recorded as failed
// without holding back the others, and relaying again on request.
describe('webhook relay', () => {
  let engine: Awaited<ReturnType<typeof startEngine>>;
  beforeAll(async () => {
    engine = await startEngine();
    engine.startWorker();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  it('tells each app of the repository what a push meant for it', async () => {
    const repo = await engine.newApp('notes-main');
    await engine.db.app.create({
      data: { ...(await appCopy('notes-main')), name: 'notes-feature', branch: 'feature' },
    });
    const sha = await repo.commit(sampleAppFiles({ text: 'notes' }), 'notes');
    const delivery = await engine.relayed(await engine.storePush(repo, sha, undefined, { branch: 'feature' }));
    expect(delivery.deployments).toHaveLength(1);
    expect((await listAppDeliveries(engine.ctx, 'notes-main'))[0]).toMatchObject({
      status: 'processed',
      forApp: 'branch feature pushed; the app deploys main',
      canRedeliver: false,
    });
    expect((await listAppDeliveries(engine.ctx, 'notes-feature'))[0]?.forApp).toMatch(/^deploying [0-9a-f]{7} \(deployment /);
    expect((await engine.settled(delivery.deployments[0]?.id as string)).state).toBe('succeeded');

    // The branch pushed back to the commit that already runs (a force-push): nothing to deploy.
    const again = await engine.relayed(await engine.storePush(repo, sha, undefined, { branch: 'feature' }));
    expect(again).toMatchObject({ status: 'processed', deployments: [] });
    expect((await listAppDeliveries(engine.ctx, 'notes-feature'))[0]?.forApp).toBe(`${sha.slice(0, 7)} is already live (v1)`);
  });

  it('records a delivery it cannot act on as failed, and relays the rest of the batch', async () => {
    const poisoned = await engine.newApp('poison');
    const healthy = await engine.newApp('healthy');
    const good = await healthy.commit(sampleAppFiles({ text: 'good' }), 'good');
    // Signed JSON may hold what Postgres text cannot (NUL): that push cannot become a deployment.
    const bad = await engine.storePush(poisoned, 'b'.repeat(40), undefined, { message: 'nul \u0000 in the message' });
    const fine = await engine.storePush(healthy, good);
    await relayPendingDeliveries(engine.ctx);
    const row = (id: string) => engine.db.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { deployments: true } });
    const [badRow, fineRow] = [await row(bad), await row(fine)];
    expect(badRow.status).toBe('failed');
    expect(badRow.result).toMatch(/^could not be relayed: /);
    expect(fineRow).toMatchObject({ status: 'processed', result: '1 deployment(s)' });
    expect((await engine.settled(fineRow.deployments[0]?.id as string)).state).toBe('succeeded');
  });

  it('relays an ignored delivery again on request, and refuses to repeat a processed one', async () => {
    const repo = await engine.newRepo();
    const sha = await repo.commit(sampleAppFiles({ text: 'late app' }), 'late');
    // Pushed before any app tracked the repository: ignored.
    const early = await engine.relayed(await engine.storePush(repo, sha));
    expect(early).toMatchObject({ status: 'ignored', result: expect.stringMatching(/^no app tracks/) });
    await createApp({ db: engine.db, cloud: { provider: 'local', region: 'local' } }, { name: 'late', repoUrl: repo.url }, admin);

    await redeliverDelivery(engine.ctx, early.deliveryId, admin);
    const again = await engine.relayed(early.id);
    expect({ status: again.status, result: again.result }).toEqual({ status: 'processed', result: '1 deployment(s)' });
    expect((await engine.settled(again.deployments[0]?.id as string)).state).toBe('succeeded');

    await expect(redeliverDelivery(engine.ctx, early.deliveryId, admin)).rejects.toMatchObject({ code: 'conflict' });
    expect(await engine.db.deployment.count({ where: { webhookDeliveryId: early.id } })).toBe(1);
  });

  /** The columns of an existing app, to make another of the same team and account. */
  async function appCopy(name: string) {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name } });
    return {
      teamId: app.teamId,
      cloudAccountId: app.cloudAccountId,
      repoUrl: app.repoUrl,
      repoKey: app.repoKey,
      branch: app.branch,
      processTypes: { create: [{ type: 'web', quantity: 1 }] },
    };
  }
});

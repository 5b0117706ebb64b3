import { pruneWebhookDeliveries, reconcilePlatform } from '@paas/core';
import { sampleAppFiles } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, startEngine } from './engine-fixture';

// Deliveries are kept for a retention window, then pruned by the reconciler;
// the deployments they caused stay.
describe('webhook delivery retention', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  it('prunes deliveries past the window, oldest first, and keeps the deployments they caused', async () => {
    const repo = await engine.newApp('kept');
    const sha = await repo.commit(sampleAppFiles({ text: 'x' }), 'x');
    const deploymentId = await engine.push(repo, sha);
    const day = 24 * 60 * 60_000;
    const old = await engine.db.webhookDelivery.create({
      data: {
        deliveryId: 'old-ping',
        event: 'ping',
        rawBody: Buffer.from('{}'),
        status: 'ignored',
        receivedAt: new Date(Date.now() - 40 * day),
      },
    });
    await engine.db.webhookDelivery.updateMany({
      where: { deployments: { some: { id: deploymentId } } },
      data: { receivedAt: new Date(Date.now() - 31 * day) },
    });
    const recent = await engine.db.webhookDelivery.create({
      data: { deliveryId: 'recent-ping', event: 'ping', rawBody: Buffer.from('{}'), status: 'ignored' },
    });

    engine.ctx.timings.webhookRetentionMs = 30 * day;
    expect(await reconcilePlatform(engine.ctx)).toMatchObject({ pruned: 2 });
    const left = await engine.db.webhookDelivery.findMany({ select: { id: true } });
    expect(left.map((d) => d.id)).toEqual([recent.id]);
    expect(await engine.db.webhookDelivery.findUnique({ where: { id: old.id } })).toBeNull();
    const deployment = await engine.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(deployment.webhookDeliveryId).toBeNull();
    expect(await pruneWebhookDeliveries(engine.ctx)).toBe(0);
  });
});

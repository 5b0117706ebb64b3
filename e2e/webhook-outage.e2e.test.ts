import { randomUUID } from 'node:crypto';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  pushPayload,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  startRedisServer,
  waitUntil,
} from '@paas/testing';
import { afterAll, describe, expect, it } from 'vitest';

// GitHub does not retry a delivery we acknowledged: whatever the receiver
// answered 2xx for must be deployed, once, even when Redis dies mid-burst and
// comes back empty.
describe('webhooks: Redis killed during a burst of pushes', () => {
  let platform: RunningPlatform | undefined;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let repo: BareRepo | undefined;
  afterAll(async () => {
    await platform?.stop();
    await redis?.stop();
    await repo?.remove();
  });

  it('relays every acknowledged delivery exactly once and serves the newest commit', async () => {
    redis = await startRedisServer();
    platform = await startPlatform({ redisUrl: redis.url });
    repo = await createBareRepo();
    const app = 'bursty';
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url })).status).toBe(201);

    // Three commits pushed in turn (each push names the head it moved from),
    // 30 deliveries each, one in ten a redelivery of an id already sent.
    const a = await repo.commit(sampleAppFiles({ text: 'burst a' }), 'a');
    const b = await repo.commit(sampleAppFiles({ text: 'burst b' }), 'b');
    const c = await repo.commit(sampleAppFiles({ text: 'burst c' }), 'c');
    const bodies = [
      JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha: a })),
      JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha: b, before: a })),
      JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha: c, before: b })),
    ];
    const plan: { body: string; deliveryId: string }[] = [];
    for (let i = 0; i < 90; i++) {
      const body = bodies[Math.floor(i / 30)] as string;
      const earlier = plan[Math.floor(i / 2)];
      plan.push(i % 10 === 9 && earlier ? earlier : { body, deliveryId: randomUUID() });
    }

    const acknowledged = new Set<string>();
    const answers: number[] = [];
    let next = 0;
    const running = platform;
    const sender = async () => {
      while (next < plan.length) {
        const { body, deliveryId } = plan[next++] as { body: string; deliveryId: string };
        const res = await sendGithubDelivery({
          url: running.webhookUrl,
          secret: running.secrets.GITHUB_WEBHOOK_SECRET,
          event: 'push',
          body,
          deliveryId,
        });
        answers.push(res.status);
        if (res.status >= 200 && res.status < 300) acknowledged.add(deliveryId);
      }
    };
    const burst = Promise.all(Array.from({ length: 6 }, sender));
    const outage = (async () => {
      await waitUntil('20 deliveries acknowledged', async () => answers.length >= 20, 30_000, 5);
      await redis?.stop();
      await waitUntil('55 deliveries answered', async () => answers.length >= 55, 30_000, 5);
      await redis?.start();
    })();
    await Promise.all([burst, outage]);
    // Redis being away is not the receiver's concern: every delivery was stored and acknowledged.
    expect(answers.filter((s) => s >= 300)).toEqual([]);
    expect(acknowledged.size).toBe(new Set(plan.map((p) => p.deliveryId)).size);

    const db = running.db;
    await waitUntil(
      'every stored delivery to be relayed',
      async () => (await db.webhookDelivery.count({ where: { status: 'received' } })) === 0,
      60_000,
    );
    const stored = await db.webhookDelivery.findMany({ include: { deployments: true } });
    expect(new Set(stored.map((d) => d.deliveryId))).toEqual(acknowledged);
    for (const d of stored) {
      expect(d.status, `${d.deliveryId}: ${d.result}`).toBe('processed');
      expect(d.deployments.length).toBeLessThanOrEqual(1);
    }
    // Relayed once each: one audit record per deployment a delivery made, none twice.
    const audits = await db.auditEvent.findMany({ where: { action: 'deployment.create', actorType: 'github' } });
    const byDelivery = new Map<string, number>();
    for (const e of audits) byDelivery.set(e.actorId as string, (byDelivery.get(e.actorId as string) ?? 0) + 1);
    expect([...byDelivery.values()].every((n) => n === 1)).toBe(true);
    expect(audits.length).toBe(stored.reduce((n, d) => n + d.deployments.length, 0));

    await waitUntil(
      'the newest commit to be served',
      async () => (await getViaRouter(running.routerPort, `${app}.localhost`)).body === 'burst c',
      120_000,
      200,
    );
    const deploymentsOfC = await db.deployment.findMany({ where: { commitSha: c, state: { not: 'canceled' } } });
    expect(deploymentsOfC).toHaveLength(1);
  }, 240_000);
});

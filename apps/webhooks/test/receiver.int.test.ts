import type { AddressInfo } from 'node:net';
import { silentLogger } from '@paas/core';
import { createDb } from '@paas/db';
import { createJobQueue, createProducerRedis } from '@paas/jobs';
import { createTestDatabase, dropRedisPrefix, freePort, sendGithubDelivery, type TestDatabase } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryRecorder } from '../src/delivery-recorder';
import { createReceiver, GITHUB_WEBHOOK_PATH } from '../src/receiver';
import { platformSecrets } from '../src/signature-secrets';

const SECRET = 'a-webhook-secret-for-tests';

async function listen(db: ReturnType<typeof createDb>, redisUrl: string) {
  const producer = createProducerRedis(redisUrl);
  const prefix = `paas-receiver-${process.pid}`;
  const queue = createJobQueue({ connection: producer, prefix });
  const recorder = createDeliveryRecorder({ db, queue, log: silentLogger });
  const server = createReceiver({ recorder, secrets: platformSecrets(SECRET), log: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${GITHUB_WEBHOOK_PATH}`;
  return {
    url,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await recorder.drain();
      await queue.close();
      producer.disconnect();
      await dropRedisPrefix(redisUrl, prefix);
    },
  };
}

// The receiver in-process, on the real Postgres: what it acknowledges is
// stored, and what it cannot store it does not acknowledge.
describe('webhook receiver', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('stores a burst of concurrent deliveries, each once, redeliveries in the same batch included', async () => {
    const receiver = await listen(database.db, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const ids = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
      // Every id twice, at the same moment: the second of each is a redelivery racing its original.
      const answers = await Promise.all(
        [...ids, ...ids].map((deliveryId) =>
          sendGithubDelivery({ url: receiver.url, secret: SECRET, event: 'ping', body: '{"zen":"hi","hook_id":1}', deliveryId }),
        ),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => a.json.status === 'received')).toHaveLength(60);
      expect(answers.filter((a) => a.json.status === 'duplicate')).toHaveLength(60);
      expect(await database.db.webhookDelivery.count({ where: { deliveryId: { in: ids } } })).toBe(60);
    } finally {
      await receiver.close();
    }
  });

  it('answers 503 and acknowledges nothing while Postgres is unreachable', async () => {
    const unreachable = createDb({ connectionString: `postgresql://postgres@127.0.0.1:${await freePort()}/none` });
    const receiver = await listen(unreachable, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const res = await sendGithubDelivery({ url: receiver.url, secret: SECRET, event: 'ping', body: '{"zen":"hi"}' });
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: { code: 'unavailable' } });
      expect(JSON.stringify(res.json)).not.toMatch(/127\.0\.0\.1|postgres/);
    } finally {
      await receiver.close();
      await unreachable.$disconnect();
    }
  });

  it('answers 404 off its path and 405 to anything but POST', async () => {
    const receiver = await listen(database.db, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      expect((await fetch(receiver.url.replace(GITHUB_WEBHOOK_PATH, '/elsewhere'), { method: 'POST' })).status).toBe(404);
      const get = await fetch(receiver.url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    } finally {
      await receiver.close();
    }
  });
});

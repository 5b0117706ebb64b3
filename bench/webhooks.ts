// webhooks: signed push deliveries at the running receiver for 20 s from a
// separate process (16 senders, 10% redeliveries), then what Postgres holds;
// against the ceiling of plain BullMQ Queue.add, one add at a time, measured in
// the same run.
// Last line: {"bench":"webhooks","sent":…,"accepted":…,"per_s":…,"p50_ms":…,"p99_ms":…,"persisted":…,
//             "duplicates_rejected":…,"lost":0,"raw_bullmq_add_per_s":…}
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createBareRepo, REPO_ROOT, sampleAppFiles, startPlatform } from '@paas/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const platform = await startPlatform();
const repo = await createBareRepo();
try {
  const created = await platform.api('POST', '/api/v1/apps', { name: 'bench-hooks', repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);
  const sha = await repo.commit(sampleAppFiles({ text: 'hooks' }), 'hooks');

  const sender = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-sender.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      URL: platform.webhookUrl,
      SECRET: platform.secrets.GITHUB_WEBHOOK_SECRET,
      REPO_URL: repo.url,
      SHA: sha,
      DURATION_MS: String(DURATION_MS),
      CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  sender.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => sender.once('close', resolve));
  if (code !== 0) throw new Error(`the sender exited with ${code}`);
  const seen = JSON.parse(out.trim().split('\n').at(-1) as string) as {
    sent: number;
    accepted: number;
    duplicates: number;
    failed: number;
    elapsed_ms: number;
    p50_ms: number;
    p99_ms: number;
  };
  const persisted = await platform.db.webhookDelivery.count({ where: { event: 'push' } });
  // The worker relays what was stored; every stored delivery ends relayed once.
  const relayStarted = performance.now();
  while ((await platform.db.webhookDelivery.count({ where: { status: 'received' } })) > 0) {
    if (performance.now() - relayStarted > 120_000) throw new Error('stored deliveries were not relayed within 2 min');
    await new Promise((r) => setTimeout(r, 200));
  }
  const deployments = await platform.db.deployment.count();
  console.log(
    `all ${persisted} stored deliveries relayed ${Math.round(performance.now() - relayStarted)} ms after the burst; ${deployments} deployment(s)`,
  );

  // The ceiling: plain Queue.add, one at a time, on a queue of its own.
  const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queue = new Queue('bench-raw-adds', { connection, prefix: `paas-bench-${randomBytes(4).toString('hex')}` });
  let adds = 0;
  const addStarted = performance.now();
  while (performance.now() - addStarted < 3_000) {
    await queue.add('raw', { n: adds });
    adds++;
  }
  const addPerS = adds / ((performance.now() - addStarted) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();

  console.log(
    `${seen.sent} sent, ${seen.accepted} accepted, ${seen.duplicates} duplicates, ${seen.failed} failed, ${persisted} stored`,
  );
  console.log(
    JSON.stringify({
      bench: 'webhooks',
      sent: seen.sent,
      accepted: seen.accepted,
      per_s: Math.round((seen.sent / seen.elapsed_ms) * 1000),
      p50_ms: seen.p50_ms,
      p99_ms: seen.p99_ms,
      persisted,
      duplicates_rejected: seen.duplicates,
      lost: Math.max(0, seen.accepted - persisted),
      raw_bullmq_add_per_s: Math.round(addPerS),
    }),
  );
} finally {
  await platform.stop();
  await repo.remove();
}

// The sending side of the webhooks benchmark, a process of its own so the
// receiver's and the sender's CPU are not one event loop: signed push
// deliveries from CONCURRENCY senders for DURATION_MS, one in ten a redelivery
// (an id already sent). Prints one JSON line with what it saw. Plain node:http
// on kept-alive connections, as GitHub's sender keeps them: the sender's own
// CPU is taken from the same two cores the receiver runs on.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { pushPayload, signGithubPayloadForTests } from '@paas/testing';

const url = process.env.URL as string;
const secret = process.env.SECRET as string;
const repoUrl = process.env.REPO_URL as string;
const sha = process.env.SHA as string;
const durationMs = Number(process.env.DURATION_MS ?? 20_000);
const concurrency = Number(process.env.CONCURRENCY ?? 16);

const body = JSON.stringify(pushPayload({ repoUrl, branch: 'main', sha }));
// Every delivery carries the same push, so one signature serves them all.
const signature = await signGithubPayloadForTests(secret, body);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);

function send(deliveryId: string): Promise<{ status: number; duplicate: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'GitHub-Hookshot/bench',
          'x-github-event': 'push',
          'x-github-delivery': deliveryId,
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, duplicate: text.includes('"duplicate"') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const latencies: number[] = [];
const sentIds: string[] = [];
const accepted = new Set<string>();
let sent = 0;
let duplicates = 0;
let failed = 0;
const until = Date.now() + durationMs;

async function sender() {
  while (Date.now() < until) {
    const redeliver = sentIds.length > 0 && Math.random() < 0.1;
    const deliveryId = redeliver ? (sentIds[Math.floor(Math.random() * sentIds.length)] as string) : randomUUID();
    if (!redeliver) sentIds.push(deliveryId);
    const started = performance.now();
    const res = await send(deliveryId).catch(() => null);
    latencies.push(performance.now() - started);
    sent++;
    if (res === null || res.status >= 300) failed++;
    else if (res.duplicate) duplicates++;
    else accepted.add(deliveryId);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, sender));
const elapsed = performance.now() - started;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
console.log(
  JSON.stringify({
    sent,
    accepted: accepted.size,
    duplicates,
    failed,
    elapsed_ms: Math.round(elapsed),
    p50_ms: pct(50),
    p99_ms: pct(99),
  }),
);

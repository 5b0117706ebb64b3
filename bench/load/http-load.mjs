// A constant-rate HTTP load through the router, run as a process of its own
// so the load it makes is not slowed by (or slowing) the benchmark's own work.
//   node http-load.mjs <port> <host> <rate per s> <slow path> <slow every N>
// Open loop: requests start on schedule whether or not earlier ones have
// answered, so a stall shows up as latency and failures, never as a lower rate.
// Every Nth request asks the slow path (a long request). Writes "ready" on
// stdout once running; on a line "stop" on stdin it stops starting requests,
// waits for those in flight, and prints one JSON summary.
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';

const [port, host, rateArg, slowPath, slowEveryArg] = process.argv.slice(2);
const rate = Number(rateArg);
const slowEvery = Number(slowEveryArg);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

const fast = [];
const slow = [];
const failures = new Map();
let started = 0;
let inFlight = 0;
let stopping = false;

function fail(reason) {
  failures.set(reason, (failures.get(reason) ?? 0) + 1);
}

function fire() {
  const isSlow = slowEvery > 0 && started % slowEvery === 0;
  started += 1;
  inFlight += 1;
  const t0 = performance.now();
  const done = (ok, reason) => {
    inFlight -= 1;
    if (ok) (isSlow ? slow : fast).push(performance.now() - t0);
    else fail(reason);
  };
  const req = request(
    { host: '127.0.0.1', port, path: isSlow ? slowPath : '/', agent, headers: { host }, timeout: 30_000 },
    (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => done(res.statusCode === 200 && body.length > 0, `status ${res.statusCode}`));
      res.on('error', (error) => done(false, error.code ?? error.message));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (error) => done(false, error.code ?? error.message));
  req.end();
}

const t0 = performance.now();
const tick = setInterval(() => {
  if (stopping) return;
  const due = Math.floor(((performance.now() - t0) / 1000) * rate);
  while (started < due) fire();
}, 5);
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'stop') return;
  stopping = true;
  clearInterval(tick);
  const seconds = (performance.now() - t0) / 1000;
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const pct = (values, p) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]) : null;
  };
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify({
      requests: started,
      failed,
      failures: Object.fromEntries(failures),
      seconds: Math.round(seconds * 10) / 10,
      rate: Math.round(started / seconds),
      p50_ms: pct(fast, 50),
      p99_ms: pct(fast, 99),
      max_ms: pct(fast, 100),
      slow_requests: slow.length,
      slow_p50_ms: pct(slow, 50),
      slow_max_ms: pct(slow, 100),
    })}\n`,
  );
  agent.destroy();
  process.exit(0);
});

// The load of `npm run bench -- api`, in a process of its own: CONCURRENCY
// clients for DURATION_MS, each with one team's API token, mixing reads of
// the team's apps, scale changes, and probes of other teams' apps (which must
// answer 404). Prints one JSON line: counts, latencies and leaks.
// A module, for its top-level await.
export {};

interface Team {
  slug: string;
  token: string;
  apps: string[];
}

const BASE = process.env.BASE_URL as string;
const TEAMS = JSON.parse(process.env.TEAMS as string) as Team[];
const DURATION_MS = Number(process.env.DURATION_MS);
const CONCURRENCY = Number(process.env.CONCURRENCY);

const latencies: number[] = [];
let errors = 0;
let leaks = 0;
const sample: string[] = [];
const byKind: Record<string, number> = {};

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

async function call(token: string, method: string, path: string, body?: unknown) {
  const started = performance.now();
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  latencies.push(performance.now() - started);
  return { status: res.status, text };
}

function fail(what: string) {
  errors += 1;
  if (sample.length < 5) sample.push(what);
}

async function client(index: number, until: number) {
  const team = TEAMS[index % TEAMS.length] as Team;
  const others = TEAMS.filter((t) => t !== team);
  const foreign = new Set(others.flatMap((t) => t.apps));
  while (performance.now() < until) {
    const roll = Math.random();
    if (roll < 0.25) {
      byKind.list = (byKind.list ?? 0) + 1;
      const res = await call(team.token, 'GET', '/api/v1/apps');
      if (res.status !== 200) fail(`list ${res.status}`);
      else {
        const names = (JSON.parse(res.text) as { apps: { name: string }[] }).apps.map((a) => a.name);
        if (names.some((n) => foreign.has(n))) leaks += 1;
      }
    } else if (roll < 0.55) {
      byKind.read = (byKind.read ?? 0) + 1;
      const res = await call(team.token, 'GET', `/api/v1/apps/${pick(team.apps)}`);
      if (res.status !== 200) fail(`read ${res.status}`);
    } else if (roll < 0.7) {
      byKind.config = (byKind.config ?? 0) + 1;
      const res = await call(team.token, 'GET', `/api/v1/apps/${pick(team.apps)}/config`);
      if (res.status !== 200) fail(`config ${res.status}`);
    } else if (roll < 0.9) {
      byKind.scale = (byKind.scale ?? 0) + 1;
      const res = await call(team.token, 'PATCH', `/api/v1/apps/${pick(team.apps)}/formation/web`, {
        quantity: Math.floor(Math.random() * 4),
      });
      if (res.status !== 200) fail(`scale ${res.status} ${res.text.slice(0, 120)}`);
    } else {
      // Another team's app: anything but 404 would tell this team it exists.
      byKind.probe = (byKind.probe ?? 0) + 1;
      const target = pick(pick(others).apps);
      const res =
        Math.random() < 0.5
          ? await call(team.token, 'GET', `/api/v1/apps/${target}`)
          : await call(team.token, 'PATCH', `/api/v1/apps/${target}/formation/web`, { quantity: 1 });
      if (res.status !== 404) leaks += 1;
      if (res.status >= 500) fail(`probe ${res.status}`);
    }
  }
}

const until = performance.now() + DURATION_MS;
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i, until)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
console.log(
  JSON.stringify({
    requests: latencies.length,
    per_s: Math.round(latencies.length / seconds),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    errors,
    forbidden_leaks: leaks,
    by_kind: byKind,
    sample_errors: sample,
  }),
);

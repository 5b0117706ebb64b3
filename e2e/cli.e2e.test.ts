import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addMember,
  type BareRepo,
  createBareRepo,
  getViaRouter,
  type Member,
  REPO_ROOT,
  type RunningPlatform,
  sampleAppFiles,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `paas` command line (packages/cli) as people and scripts run it: the
// built executable as a real process, against a real platform, its exit codes
// and output, human and --json.

const CLI = join(REPO_ROOT, 'packages/cli/dist/main.js');
const ESC = '\u001b';

let platform: RunningPlatform;
let repo: BareRepo;
let scratch: string;
/** The credentials directory of the signed-in owner. */
let configDir: string;
/** A directory outside any git checkout, and a checkout whose `paas` remote names the app. */
let plainDir: string;
let checkout: string;
const people = {} as Record<'viewer' | 'member' | 'admin', Member>;
/** Everything the CLI printed, to check no token ever appears in it. */
const printed: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `paas ARGS` as a process (never spawnSync: the platform's output must keep flowing meanwhile). */
function paas(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string; config?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? plainDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: scratch,
        PAAS_CONFIG_DIR: opts.config ?? configDir,
        PAAS_API_URL: platform.webUrl,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

const asToken = (token: string, args: string[]) => paas(args, { env: { PAAS_TOKEN: token } });
const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

async function deploymentDone(app: string, id: string) {
  return waitUntil(
    `deployment ${id} to finish`,
    async () => {
      const res = await platform.api('GET', `/api/v1/apps/${app}/deployments/${id}`);
      return ['succeeded', 'failed', 'canceled'].includes(res.json?.deployment?.state) ? res.json.deployment : null;
    },
    60_000,
    200,
  );
}

beforeAll(async () => {
  // The executable is built the way `npm run build -w paas-cli` builds it (no network).
  const built = spawnSync('npx', ['tsc', '-p', 'packages/cli/tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the CLI failed (${built.status}):\n${built.stdout}\n${built.stderr}`);

  scratch = mkdtempSync(join(tmpdir(), 'paas-cli-e2e-'));
  configDir = join(scratch, 'config');
  plainDir = join(scratch, 'plain');
  checkout = join(scratch, 'checkout');
  mkdirSync(plainDir);
  mkdirSync(checkout);
  [platform, repo] = await Promise.all([startPlatform(), createBareRepo()]);
  await repo.commit(sampleAppFiles({ text: 'cli v1' }), 'v1');
  execFileSync('git', ['init', '--quiet'], { cwd: checkout });
  execFileSync('git', ['remote', 'add', 'paas', `${platform.webUrl}/git/cli-app.git`], { cwd: checkout });
  for (const role of ['viewer', 'member', 'admin'] as const) people[role] = await addMember(platform, role);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await repo?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('signing in', () => {
  it('a wrong password exits 3 and stores nothing', async () => {
    const r = await paas(['login', '--email', platform.owner.email], { input: 'not-the-password\n' });
    expect(r.code, show(r)).toBe(3);
    expect(r.stderr).toMatch(/paas: sign-in failed: .*invalid/i);
    expect(() => statSync(join(configDir, 'credentials.json'))).toThrow();
  });

  it('login reads email and password from stdin, stores a token only its owner can read; whoami', async () => {
    const ownerSessions = { where: { user: { email: platform.owner.email } } };
    const sessionsBefore = await platform.db.session.count(ownerSessions);
    const r = await paas(['login'], { input: `${platform.owner.email}\n${platform.owner.password}\n` });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`as ${platform.owner.email}`);
    const file = join(configDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toMatchObject({ apiUrl: platform.webUrl, email: platform.owner.email, team: expect.any(String) });
    expect(stored.token).toMatch(/^paas_/);
    expect(r.stdout + r.stderr).not.toContain(stored.token);
    // The session that made the token is signed out again.
    expect(await platform.db.session.count(ownerSessions)).toBe(sessionsBefore);

    const who = await paas(['whoami']);
    expect(who.code, show(who)).toBe(0);
    expect(who.stdout).toContain(platform.owner.email);
    const json = await paas(['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ user: { email: platform.owner.email }, role: 'owner', via: 'token' });
  });

  it('login with --email and PAAS_PASSWORD; logout revokes the token and forgets it', async () => {
    const other = join(scratch, 'other-config');
    const r = await paas(['login', '--email', platform.owner.email, '--json'], {
      config: other,
      env: { PAAS_PASSWORD: platform.owner.password },
    });
    expect(r.code, show(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ email: platform.owner.email, role: 'owner', apiUrl: platform.webUrl });
    const { token } = JSON.parse(readFileSync(join(other, 'credentials.json'), 'utf8'));
    expect((await platform.api('GET', '/api/v1/me', undefined, token)).status).toBe(200);

    const out = await paas(['logout'], { config: other });
    expect(out.code, show(out)).toBe(0);
    expect(() => statSync(join(other, 'credentials.json'))).toThrow();
    expect((await platform.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);
    const after = await paas(['whoami'], { config: other });
    expect(after.code, show(after)).toBe(3);
    expect(after.stderr).toMatch(/not signed in/);
  });

  it('a bad token exits 3 (and says PAAS_TOKEN was refused)', async () => {
    const r = await asToken('paas_not_a_real_token', ['apps']);
    expect(r.code, show(r)).toBe(3);
    expect(r.stderr).toContain('PAAS_TOKEN was refused');
  });
});

describe('an app from creation to deletion', () => {
  const app = 'cli-app';

  it('apps:create, apps (table and --json); bad names and duplicates exit 6', async () => {
    const r = await paas(['apps:create', app, '--repo', repo.url, '--branch', 'main']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`Created ${app}`);
    const list = await paas(['apps']);
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+RELEASE\s+FORMATION/m);
    expect(list.stdout).toMatch(new RegExp(`^${app}\\s+—\\s+web=1`, 'm'));
    const json = await paas(['apps', '--json']);
    expect(JSON.parse(json.stdout).apps).toEqual([expect.objectContaining({ name: app, repoUrl: repo.url, branch: 'main' })]);

    const bad = await paas(['apps:create', 'Bad_Name', '--repo', repo.url]);
    expect(bad.code, show(bad)).toBe(6);
    expect(bad.stderr).toMatch(/name must/);
    const again = await paas(['apps:create', app, '--repo', repo.url, '--json']);
    expect(again.code, show(again)).toBe(6);
    expect(again.stdout).toBe('');
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'conflict', exitCode: 6, status: 409 } });
  });

  it('config:set, config, config:unset; an escape sequence in a value never reaches the terminal raw', async () => {
    const evil = `${ESC}]0;pwned${'\u0007'}${ESC}[31mred`;
    const set = await paas(['config:set', 'GREETING=hello from the cli', `EVIL=${evil}`, 'EQUATION=a=b', '-a', app]);
    expect(set.code, show(set)).toBe(0);
    expect(set.stdout).toContain('Set GREETING, EVIL, EQUATION');

    const human = await paas(['config', '-a', app]);
    expect(human.code, show(human)).toBe(0);
    expect(human.stdout).toMatch(/^GREETING: +hello from the cli$/m);
    expect(human.stdout).toMatch(/^EQUATION: +a=b$/m);
    expect(human.stdout).not.toContain(ESC);
    expect(human.stdout).not.toContain('\u0007');
    expect(human.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[31mred');
    // Machine output keeps the data exactly.
    const json = await paas(['config', '-a', app, '--json']);
    expect(JSON.parse(json.stdout).config).toEqual({ GREETING: 'hello from the cli', EVIL: evil, EQUATION: 'a=b' });

    const unset = await paas(['config:unset', 'EVIL', 'EQUATION', '-a', app]);
    expect(unset.code, show(unset)).toBe(0);
    expect(JSON.parse((await paas(['config', '-a', app, '--json'])).stdout).config).toEqual({ GREETING: 'hello from the cli' });
    const get = await paas(['config:get', 'GREETING', '-a', app]);
    expect(get.stdout).toBe('hello from the cli\n');
  });

  it('ps:scale web=2, then ps; a negative quantity exits 6', async () => {
    const r = await paas(['ps:scale', 'web=2', '-a', app]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Scaled web to 2');
    const listed = await paas(['ps', '-a', app]);
    expect(listed.code, show(listed)).toBe(0);
    expect(listed.stdout).toMatch(/^TYPE\s+QUANTITY\s+SIZE/m);
    expect(listed.stdout).toMatch(/^web\s+2\s+small/m);
    const bad = await paas(['ps:scale', 'web=-1', '-a', app]);
    expect(bad.code, show(bad)).toBe(6);
    expect(bad.stderr).toMatch(/quantity must be 0 or more/);
  });

  it('deploy (the app named by the `paas` git remote) streams the build log and exits 0', async () => {
    const r = await paas(['deploy'], { cwd: checkout, timeoutMs: 120_000 });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`Deploy main to ${app}`);
    expect(r.stdout).toContain('npm ci');
    expect(r.stdout).toContain('Build succeeded');
    expect(r.stdout).toMatch(/-----> Released v1 \([0-9a-f]{7}\)/);
    expect((await getViaRouter(platform.routerPort, `${app}.localhost`)).body).toBe('cli v1');
    const ps = await paas(['ps', '--json'], { cwd: checkout });
    expect(JSON.parse(ps.stdout)).toMatchObject({ app, activeRelease: 1, formation: [{ type: 'web', quantity: 2 }] });
  });

  it('releases, then rollback v1 waits until it is live', async () => {
    // A second release (a config change) to roll back from.
    const set = await paas(['config:set', 'GREETING=second', '-a', app, '--json']);
    expect(set.code, show(set)).toBe(0);
    const change = JSON.parse(set.stdout);
    expect(change.deployment?.id).toEqual(expect.any(String));
    expect((await deploymentDone(app, change.deployment.id)).state).toBe('succeeded');

    const listed = await paas(['releases', '-a', app]);
    expect(listed.code, show(listed)).toBe(0);
    expect(listed.stdout).toMatch(/^VERSION\s+STATUS\s+CAUSE/m);
    expect(listed.stdout).toMatch(/^v2\s+active\s+config/m);
    expect(listed.stdout).toMatch(/^v1\s+superseded\s+deploy/m);
    expect(listed.stdout).toMatch(/^VERSION\s+STATUS\s+CAUSE\s+DESCRIPTION\s+COMMIT\s+STACK/m);
    expect(listed.stdout).toMatch(/^v1\s.*\snode\s/m);

    const r = await paas(['rollback', 'v1', '-a', app], { timeoutMs: 90_000 });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Rolled back: v3 runs what v1 ran');
    const json = await paas(['releases', '-a', app, '--json']);
    expect(JSON.parse(json.stdout).releases[0]).toMatchObject({ version: 3, cause: 'rollback', rollbackOf: 1, status: 'active' });
    await waitUntil(
      'v1 config to serve again',
      async () => (await getViaRouter(platform.routerPort, `${app}.localhost`, '/__env/GREETING')).body === 'hello from the cli',
      30_000,
    );
    const notThere = await paas(['rollback', 'v99', '-a', app]);
    expect(notThere.code, show(notThere)).toBe(6);
    const usage = await paas(['rollback', 'latest', '-a', app]);
    expect(usage.code, show(usage)).toBe(2);
  });

  it('ps:autoscale on, shown by ps, then off; a target the server refuses exits 6 with its reason', async () => {
    const on = await paas(['ps:autoscale', 'web', '--min', '1', '--max', '3', '--cpu', '60', '-a', app]);
    expect(on.code, show(on)).toBe(0);
    expect(on.stdout).toContain('Autoscaling web between 1 and 3 instances to hold CPU at 60%.');
    const listed = await paas(['ps', '-a', app]);
    expect(listed.stdout, show(listed)).toMatch(/^TYPE\s+QUANTITY\s+SIZE\s+AUTOSCALING\s+DESIRED\s+HEALTHY/m);
    expect(listed.stdout).toMatch(/^web\s+2\s+small\s+cpu 60% 1–3\s+\S+/m);
    const bad = await paas(['ps:autoscale', 'web', '--min', '1', '--max', '3', '--cpu', '5', '-a', app]);
    expect(bad.code, show(bad)).toBe(6);
    expect(bad.stderr).toContain('a CPU target must be between 10 and 90');
    const off = await paas(['ps:autoscale', 'web', '--off', '-a', app, '--json']);
    expect(off.code, show(off)).toBe(0);
    expect(JSON.parse(off.stdout)).toEqual({ app, formation: { type: 'web', quantity: 2, size: 'small', autoscaling: null } });
    const ps = await paas(['ps', '-a', app, '--json']);
    expect(JSON.parse(ps.stdout).formation).toEqual([expect.objectContaining({ type: 'web', quantity: 2, autoscaling: null })]);
  });

  it("logs shows the app's output, with control characters escaped for people and intact in --json", async () => {
    const marker = `${ESC}[2J${ESC}]0;owned${'\u0007'}evil-marker`;
    const seen = await waitUntil(
      'the line in `paas logs`',
      async () => {
        await getViaRouter(platform.routerPort, `${app}.localhost`, `/__log/${encodeURIComponent(marker)}`);
        const r = await paas(['logs', '-n', '200', '-a', app]);
        return r.code === 0 && r.stdout.includes('evil-marker') ? r : null;
      },
      30_000,
      500,
    );
    expect(seen.stdout).toMatch(/app\[web\.\d+\]: listening on \d+/);
    expect(seen.stdout).not.toContain(ESC);
    expect(seen.stdout).not.toContain('\u0007');
    expect(seen.stdout).toContain('\\x1b[2J\\x1b]0;owned\\x07evil-marker');
    const json = await paas(['logs', '-a', app, '--json']);
    expect(json.code, show(json)).toBe(0);
    expect(JSON.parse(json.stdout).lines.some((l: string) => l.endsWith(marker))).toBe(true);
    const tailJson = await paas(['logs', '--tail', '--json', '-a', app]);
    expect(tailJson.code).toBe(2);
  });

  it("metrics: a summary, then the latest steps marked with releases; --json has the window's points and releases", async () => {
    const json = await paas(['metrics', '-a', app, '--json']);
    expect(json.code, show(json)).toBe(0);
    const { metrics } = JSON.parse(json.stdout);
    expect(metrics).toMatchObject({ window: '1h', stepSeconds: 60, points: expect.any(Array) });
    expect(metrics.points).toHaveLength(60);
    const released = JSON.parse((await paas(['releases', '-a', app, '--json'])).stdout).releases.map(
      (r: { version: number }) => r.version,
    );
    expect(metrics.releases.map((r: { version: number }) => r.version)).toEqual(
      released.toSorted((a: number, b: number) => a - b),
    );
    const human = await paas(['metrics', '-a', app]);
    expect(human.code, show(human)).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^${app}, last 1h: `));
    expect(human.stdout).toMatch(/^TIME \(UTC\)\s+REQ\/S\s+5XX\s+P50\s+P95\s+P99\s+INSTANCES$/m);
    expect(human.stdout).toMatch(/^\d\d:\d\d .*← (v\d+, )*v3$/m);
    const bad = await paas(['metrics', '--window', '2d', '-a', app]);
    expect(bad.code, show(bad)).toBe(6);
    expect(bad.stderr).toContain('window must be one of 1h, 6h, 24h');
  });

  it('apps:info shows the cloud account and region; apps:move is refused once the app has been built (exit 6)', async () => {
    const info = await paas(['apps:info', '-a', app, '--json']);
    expect(info.code, show(info)).toBe(0);
    const { app: detail, cloudAccount } = JSON.parse(info.stdout);
    expect(cloudAccount).toMatchObject({ name: detail.cloudAccount, region: expect.any(String) });
    const human = await paas(['apps:info', '-a', app]);
    expect(human.stdout).toMatch(new RegExp(`^Cloud account: +${detail.cloudAccount}$`, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^Region: +${cloudAccount.region}$`, 'm'));

    // Another account of the team (never used: the move is refused before anything runs there).
    const added = await platform.api('POST', '/api/v1/cloud-accounts', {
      name: 'elsewhere',
      provider: 'aws',
      region: 'eu-west-1',
      settings: { baseDomain: 'apps.example.com' },
    });
    expect(added.status, added.text).toBe(201);
    const moved = await paas(['apps:move', 'elsewhere', '-a', app]);
    expect(moved.code, show(moved)).toBe(6);
    expect(moved.stderr).toContain('only before its first build');
    // Where it already is: nothing to move.
    const stays = await paas(['apps:move', detail.cloudAccount, '-a', app]);
    expect(stays.code, show(stays)).toBe(0);
    expect(stays.stdout).toContain(`${app} is in cloud account ${detail.cloudAccount}`);
  });

  it('domains:add, domains; a bad hostname exits 6', async () => {
    const r = await paas(['domains:add', 'www.cli-example.com', '-a', app]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Added www.cli-example.com');
    const listed = await paas(['domains', '-a', app, '--json']);
    expect(JSON.parse(listed.stdout).domains).toEqual([expect.objectContaining({ hostname: 'www.cli-example.com' })]);
    const bad = await paas(['domains:add', 'not a host', '-a', app]);
    expect(bad.code, show(bad)).toBe(6);
  });

  it('apps:destroy refuses without a matching --confirm (exit 2), then deletes', async () => {
    const none = await paas(['apps:destroy', app]);
    expect(none.code, show(none)).toBe(2);
    expect(none.stderr).toContain(`--confirm ${app}`);
    const wrong = await paas(['apps:destroy', app, '--confirm', 'other-app']);
    expect(wrong.code, show(wrong)).toBe(2);
    expect((await platform.api('GET', `/api/v1/apps/${app}`)).status).toBe(200);

    const r = await paas(['apps:destroy', app, '--confirm', app]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`Destroying ${app}`);
    await waitUntil('the app to be gone', async () => (await platform.api('GET', `/api/v1/apps/${app}`)).status === 404, 30_000);
    const gone = await paas(['ps', '-a', app]);
    expect(gone.code, show(gone)).toBe(5);
  });
});

describe('git push through the CLI', () => {
  it('git:remote points a checkout at the app; git push then authenticates through the CLI, the token never in .git/config', async () => {
    const made = await paas(['apps:create', 'pushed-by-cli', '--repo', 'https://git.example.com/p.git']);
    expect(made.code, show(made)).toBe(0);
    const remote = await paas(['git:remote', '-a', 'pushed-by-cli'], { cwd: repo.workDir });
    expect(remote.code, show(remote)).toBe(0);
    expect(remote.stdout).toContain('git push paas main');
    const gitConfig = readFileSync(join(repo.workDir, '.git/config'), 'utf8');
    expect(gitConfig).toContain(`${platform.webUrl}/git/pushed-by-cli.git`);
    expect(gitConfig).not.toMatch(/paas_[A-Za-z0-9_-]{20,}/);
    await repo.commit(sampleAppFiles({ text: 'pushed through the cli' }), 'via git:remote');
    // Not spawnSync: the platform's output must keep flowing meanwhile.
    const pushed = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'git',
        ['push', 'paas', 'HEAD:main'],
        {
          cwd: repo.workDir,
          env: { PATH: process.env.PATH ?? '', HOME: scratch, PAAS_CONFIG_DIR: configDir, GIT_TERMINAL_PROMPT: '0' },
          timeout: 120_000,
        },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    printed.push(pushed.stdout, pushed.stderr);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).toMatch(/remote: -----> Released v1/);
    expect((await getViaRouter(platform.routerPort, 'pushed-by-cli.localhost')).body).toBe('pushed through the cli');
  });
});

describe('usage errors and lookups', () => {
  it('unknown command → 2, unknown option → 2, no app → 2, unknown app → 5, --json errors on stderr', async () => {
    const unknown = await paas(['relases']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean `paas releases`');
    expect((await paas(['apps', '--frobnicate'])).code).toBe(2);
    const noApp = await paas(['ps']);
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toMatch(/pass -a NAME/);
    const missing = await paas(['releases', '-a', 'no-such-app']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('"no-such-app" does not exist');
    const json = await paas(['releases', '-a', 'no-such-app', '--json']);
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'not_found', status: 404, exitCode: 5 } });
    const help = await paas(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*4 {2}forbidden/);
    expect((await paas(['--version'])).stdout).toMatch(/^paas 0\.1\.0/);
  });
});

// The role × action matrix through the CLI: each role's token (PAAS_TOKEN) on
// a shared app. Refused → exit 4 with the reason; allowed may still fail on
// its input (5, 6), never 4.
describe('role × action through the CLI', () => {
  type Role = 'viewer' | 'member' | 'admin';
  const ORDER: Role[] = ['viewer', 'member', 'admin'];

  beforeAll(async () => {
    for (const name of ['matrix', 'doomed']) {
      expect((await platform.api('POST', '/api/v1/apps', { name, repoUrl: repo.url })).status).toBe(201);
    }
  });

  const MATRIX: { action: string; least: Role; args: (role: Role) => string[] }[] = [
    { action: 'ps:scale', least: 'member', args: () => ['ps:scale', 'web=1', '-a', 'matrix'] },
    { action: 'deploy', least: 'member', args: () => ['deploy', '--ref', 'no-such-ref', '--detach', '-a', 'matrix'] },
    { action: 'rollback', least: 'member', args: () => ['rollback', 'v99', '-a', 'matrix'] },
    { action: 'config:set', least: 'admin', args: (role) => ['config:set', `SET_BY=${role}`, '-a', 'matrix'] },
    { action: 'domains:add', least: 'admin', args: (role) => ['domains:add', `${role}.matrix-example.com`, '-a', 'matrix'] },
    { action: 'apps:create', least: 'admin', args: (role) => ['apps:create', `made-by-${role}`, '--repo', repo.url] },
    { action: 'apps:destroy', least: 'admin', args: () => ['apps:destroy', 'doomed', '--confirm', 'doomed'] },
    { action: 'apps', least: 'viewer', args: () => ['apps'] },
    { action: 'ps', least: 'viewer', args: () => ['ps', '-a', 'matrix'] },
    { action: 'releases', least: 'viewer', args: () => ['releases', '-a', 'matrix'] },
    { action: 'config', least: 'viewer', args: () => ['config', '-a', 'matrix'] },
  ];

  for (const row of MATRIX) {
    for (const role of ORDER) {
      const allowed = ORDER.indexOf(role) >= ORDER.indexOf(row.least);
      it(`${role} ${allowed ? 'may' : 'may not'} ${row.action}`, async () => {
        const r = await asToken(people[role].token, row.args(role));
        if (!allowed) {
          expect(r.code, show(r)).toBe(4);
          expect(r.stderr).toMatch(new RegExp(`your role in this team \\(${role}\\) cannot do this; it needs ${row.least}`));
        } else if (row.least === 'viewer') {
          expect(r.code, show(r)).toBe(0);
        } else {
          expect(r.code, show(r)).not.toBe(4);
          expect([0, 5, 6], show(r)).toContain(r.code);
        }
      });
    }
  }

  it('a viewer sees config keys, never values', async () => {
    const r = await asToken(people.viewer.token, ['config', '-a', 'matrix']);
    expect(r.stdout).toMatch(/^SET_BY: +\(hidden\)$/m);
    expect(r.stdout).not.toContain('SET_BY: admin');
    const member = await asToken(people.member.token, ['config', '-a', 'matrix', '--json']);
    expect(JSON.parse(member.stdout).config).toEqual({ SET_BY: 'admin' });
  });
});

describe('paas doctor', () => {
  it('prints every check with its fix, and fails on the AWS account this machine has no credentials for', async () => {
    // The platform's own services are healthy; the AWS account added above
    // ("elsewhere") has no credentials here and no DNS: failures with their fix, never a crash.
    const hasAwsAccount = (await platform.api('GET', '/api/v1/cloud-accounts')).json.cloudAccounts.some(
      (a: { provider: string }) => a.provider === 'aws',
    );
    const r = await asToken(people.admin.token, ['doctor']);
    expect(r.code, show(r)).toBe(hasAwsAccount ? 1 : 0);
    for (const title of ['PostgreSQL', 'Redis', 'Encryption key', 'Disk space', 'Cloud account local']) {
      expect(r.stdout).toMatch(new RegExp(`^ok {4}${title}: `, 'm'));
    }
    // No GitHub App on the test platform: a warning with where to make one, not a failure.
    expect(r.stdout).toMatch(/warn {2}GitHub App: .*\n {6}fix: .*\/github/);
    if (hasAwsAccount) {
      expect(r.stdout).toMatch(/^FAIL {2}Cloud account elsewhere: .*GetCallerIdentity.*\n {6}fix: .*account-template\.json/m);
      expect(r.stdout).toMatch(/^FAIL {2}DNS of elsewhere: .*\n {6}fix: Add a wildcard record \*\.apps\.example\.com/m);
    }
    const json = await asToken(people.admin.token, ['doctor', '--json']);
    expect(json.code, show(json)).toBe(r.code);
    const report = JSON.parse(json.stdout);
    expect(report.status).toBe(hasAwsAccount ? 'fail' : 'warn');
    expect(report.checks.find((c: { id: string }) => c.id === 'postgres')).toMatchObject({ status: 'ok' });
    expect(report.checks.find((c: { id: string }) => c.id === 'redis')).toMatchObject({ status: 'ok' });
  });

  it('the API answers an admin of the platform team and refuses a member (403, exit 4)', async () => {
    const admin = await platform.api('GET', '/api/v1/doctor', undefined, people.admin.token);
    expect(admin.status, admin.text).toBe(200);
    expect(admin.json.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'encryption-key', 'disk', 'github-app', 'dns']),
    );
    const member = await platform.api('GET', '/api/v1/doctor', undefined, people.member.token);
    expect(member.status, member.text).toBe(403);
    expect(member.json.error.code).toBe('forbidden');
    const r = await asToken(people.member.token, ['doctor']);
    expect(r.code, show(r)).toBe(4);
  });

  it('the dashboard page shows each check with its status, for admins only', async () => {
    const page = await fetch(`${platform.webUrl}/doctor`, { headers: { cookie: people.admin.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="doctor-checks"');
    expect(html).toMatch(/data-testid="doctor-check-postgres" data-status="ok"/);
    expect(html).toMatch(/data-testid="doctor-check-github-app" data-status="warn"/);
    const forbidden = await (await fetch(`${platform.webUrl}/doctor`, { headers: { cookie: people.member.cookie } })).text();
    expect(forbidden).toContain('data-testid="doctor-forbidden"');
    expect(forbidden).not.toContain('data-testid="doctor-checks"');
  });
});

describe('secrets', () => {
  it('no token was ever printed', () => {
    const tokens = [
      ...Object.values(people).map((p) => p.token),
      platform.owner.token,
      JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')).token as string,
    ];
    for (const text of printed) for (const token of tokens) expect(text).not.toContain(token);
  });
});

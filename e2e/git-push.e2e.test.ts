import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  addMember,
  type BareRepo,
  createBareRepo,
  getViaRouter,
  type RunningPlatform,
  sampleAppFiles,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `git push paas main` with the real git client: the platform is the remote
// (smart HTTP, an API token as the password), the push deploys and streams
// the build back, a failed deploy rejects the push.
describe('git push to the platform', () => {
  let platform: RunningPlatform;
  let repo: BareRepo;
  let memberToken: string;
  let viewerToken: string;
  const app = 'pushed';

  const remote = (token: string) => `${platform.webUrl.replace('://', `://git:${token}@`)}/git/${app}.git`;

  function git(...args: string[]): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile(
        'git',
        args,
        {
          cwd: repo.workDir,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' },
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
  }

  beforeAll(async () => {
    platform = await startPlatform();
    repo = await createBareRepo();
    // No repository URL: an app that only takes git push to the platform.
    const made = await platform.api('POST', '/api/v1/apps', { name: app });
    expect(made.status).toBe(201);
    memberToken = (await addMember(platform, 'member')).token;
    viewerToken = (await addMember(platform, 'viewer')).token;
  });

  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  it('an app without a repository cannot be deployed from the API: it says to push', async () => {
    const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/git push paas main/);
    expect(await platform.db.deployment.count()).toBe(0);
  });

  it('a push deploys the pushed commit and streams the build to the terminal', async () => {
    const build = 'echo "compiling the pushed app"';
    const sha = await repo.commit(sampleAppFiles({ text: 'pushed v1', scripts: { build } }), 'first push');
    const pushed = await git('push', remote(memberToken), 'HEAD:main');
    expect(pushed.code, pushed.out).toBe(0);
    expect(pushed.out).toContain(`remote: -----> Deploying ${sha.slice(0, 7)} to ${app}`);
    expect(pushed.out).toContain('remote: compiling the pushed app');
    expect(pushed.out).toMatch(/remote: -----> Released v1 at http:\/\/pushed\.localhost:\d+/);
    expect(pushed.out).not.toContain(memberToken);
    expect((await getViaRouter(platform.routerPort, `${app}.localhost`, '/')).body).toBe('pushed v1');
    const deployment = await platform.db.deployment.findFirstOrThrow({ where: { app: { name: app } } });
    expect(deployment).toMatchObject({ trigger: 'git', commitSha: sha, state: 'succeeded' });
    expect(await platform.db.release.findFirstOrThrow({ where: { app: { name: app } } })).toMatchObject({ cause: 'push' });
    // What was pushed can be fetched back.
    const listed = await git('ls-remote', remote(memberToken), 'refs/heads/main');
    expect(listed.out).toContain(sha);
  });

  it('a bad token is refused with git’s usual error and deploys nothing', async () => {
    const before = await platform.db.deployment.count();
    await repo.commit(sampleAppFiles({ text: 'pushed by a stranger' }), 'stranger');
    const pushed = await git('push', remote('paas_not-a-real-token'), 'HEAD:main');
    expect(pushed.code).not.toBe(0);
    expect(pushed.out).toMatch(/Authentication failed/);
    expect(await platform.db.deployment.count()).toBe(before);
  });

  it('a viewer may not push', async () => {
    const before = await platform.db.deployment.count();
    const pushed = await git('push', remote(viewerToken), 'HEAD:main');
    expect(pushed.code).not.toBe(0);
    expect(pushed.out).toMatch(/403/);
    expect(await platform.db.deployment.count()).toBe(before);
  });

  it('a failed deploy rejects the push and leaves the branch where it was', async () => {
    const live = (await git('ls-remote', remote(memberToken), 'refs/heads/main')).out.split(/\s/)[0];
    await repo.commit(sampleAppFiles({ text: 'broken', scripts: { build: 'echo "about to fail"; exit 1' } }), 'broken build');
    const pushed = await git('push', remote(memberToken), 'HEAD:main');
    expect(pushed.code, pushed.out).not.toBe(0);
    expect(pushed.out).toContain('remote: about to fail');
    expect(pushed.out).toMatch(/\[remote rejected\] HEAD -> main \(deploy failed\)/);
    expect((await git('ls-remote', remote(memberToken), 'refs/heads/main')).out.split(/\s/)[0]).toBe(live);
    expect((await getViaRouter(platform.routerPort, `${app}.localhost`, '/')).body).toBe('pushed v1');
  });

  it('deleting the app deletes what was pushed to it', async () => {
    const { id } = await platform.db.app.findUniqueOrThrow({ where: { name: app } });
    const stored = join(platform.dataDir, 'git', `${id}.git`);
    expect(existsSync(stored)).toBe(true);
    expect((await platform.api('DELETE', `/api/v1/apps/${app}`)).status).toBe(202);
    await waitUntil('the app and its repository to go', async () => !existsSync(stored), 60_000, 100);
    expect(await platform.db.app.count({ where: { id } })).toBe(0);
  });
});

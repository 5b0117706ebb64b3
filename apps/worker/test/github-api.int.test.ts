import { silentLogger } from '@paas/core';
import { createGithubApi } from '@paas/github';
import { createBareRepo, type FakeGithub, sampleAppFiles, startFakeGithub } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The GitHub client against a local server speaking GitHub's API: it retries
// what GitHub's bad moments answer, waits out its rate limits, and gives up at
// once, with a clear error, on what retrying cannot fix.
describe('GitHub API client', () => {
  let github: FakeGithub;
  let repo: Awaited<ReturnType<typeof createBareRepo>>;
  let key: { appId: number; privateKey: string };
  let sha: string;
  const api = () => createGithubApi({ apiUrl: github.url, log: silentLogger });
  const target = () => ({ installationId: 11, repositoryId: 101, fullName: 'acme/web', ref: 'main' });

  beforeAll(async () => {
    [github, repo] = await Promise.all([startFakeGithub(), createBareRepo()]);
    sha = await repo.commit(sampleAppFiles({ text: 'x' }), 'x');
    const made = await api().convertManifest(github.manifestCode({ name: 'client-test' }));
    key = { appId: made.id, privateKey: made.privateKey };
    github.install({
      id: 11,
      account: { login: 'acme', type: 'Organization' },
      repositorySelection: 'selected',
      repositories: [{ id: 101, fullName: 'acme/web', private: true, gitDir: repo.path }],
    });
  });
  afterAll(async () => {
    await github?.stop();
    await repo?.remove();
  });

  it('resolves a branch and mints a read-only token for that one repository', async () => {
    const archive = await api().sourceArchive(key, target());
    expect(archive.commitSha).toBe(sha);
    expect(archive.url).toBe(`${github.url}/repos/acme/web/tarball/${sha}`);
    expect(archive.authorization).toMatch(/^token ghs_/);
    expect(github.tokens.get(archive.authorization.slice('token '.length))).toMatchObject({
      repositoryIds: [101],
      permissions: { contents: 'read' },
    });
  });

  it('retries a server error, and waits out a rate limit', async () => {
    github.failNext(/\/commits\//, 502, 1);
    github.failNext(/\/access_tokens$/, 429, 1, { 'retry-after': '1' });
    const started = Date.now();
    expect((await api().sourceArchive(key, target())).commitSha).toBe(sha);
    // GitHub said to come back in a second: the client did not ask sooner.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  }, 30_000);

  it('fails at once, not retryable, when GitHub refuses', async () => {
    const refused = api().sourceArchive(key, { ...target(), ref: 'no-such-branch' });
    await expect(refused).rejects.toMatchObject({ code: 'github_refused', retryable: false });
    const wrongKey = api().listInstallations({ appId: key.appId + 1, privateKey: key.privateKey });
    await expect(wrongKey).rejects.toMatchObject({ code: 'github_refused' });
  });
});

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildPlan, renderBuildScript, renderFetchSourceScript } from '../src/index';

const run = promisify(execFile);

const basePlan: BuildPlan = {
  stack: 'node',
  nodeVersion: null,
  install: { command: 'npm ci', reason: 'package-lock.json found' },
  build: false,
  pruneDevDependencies: false,
  processes: { web: 'npm start' },
  processSource: 'package.json scripts.start',
  warnings: [],
};

/** The commands a script runs, without the echo/note/warn lines around them. */
function commandsOf(script: string): string[] {
  return script.split('\n').filter((line) => /^(npm|cd) /.test(line));
}

describe('renderBuildScript', () => {
  it('renders a strict script with CI settings and Heroku-style step lines', () => {
    const script = renderBuildScript(basePlan, { appDir: '/srv/app' });
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    expect(script).toContain('step() { echo "-----> $*"; }');
    for (const setting of [
      'export CI=true',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash default, not a JS template
      'export NODE_ENV="${NODE_ENV:-production}"',
      'export npm_config_audit=false',
      'export npm_config_fund=false',
      'export npm_config_update_notifier=false',
      'export npm_config_progress=false',
    ]) {
      expect(script).toContain(`\n${setting}\n`);
    }
    expect(script).not.toContain('npm_config_prefer_offline');
    expect(script).toContain('step "Build succeeded"');
  });

  it('uses the npm cache in the app cache offline-first when one is given', () => {
    const script = renderBuildScript(basePlan, { appDir: '/srv/app', cacheDir: '/var/cache/app' });
    expect(script).toContain('\npaas_cache=/var/cache/app\n');
    expect(script).toContain('\nexport npm_config_cache="$paas_cache/npm"\nexport npm_config_prefer_offline=true\n');
  });

  it('runs npm ci with devDependencies for a lockfile app', () => {
    expect(commandsOf(renderBuildScript(basePlan, { appDir: '/srv/app' }))).toEqual(['cd /srv/app', 'npm ci --include=dev']);
  });

  it('installs, builds and prunes when the plan says so', () => {
    const plan: BuildPlan = {
      ...basePlan,
      install: { command: 'npm install', reason: 'package.json has dependencies and there is no lockfile' },
      build: true,
      pruneDevDependencies: true,
    };
    expect(commandsOf(renderBuildScript(plan, { appDir: '/srv/app' }))).toEqual([
      'cd /srv/app',
      'npm install --include=dev',
      'npm run build',
      'npm prune --omit=dev',
    ]);
  });

  it('runs no npm command when there is nothing to install or build', () => {
    const script = renderBuildScript({ ...basePlan, install: null }, { appDir: '/srv/app' });
    expect(commandsOf(script)).toEqual(['cd /srv/app']);
    expect(script).toContain('step "No dependencies to install"');
  });

  it('quotes paths, versions, warnings and process commands', () => {
    const plan: BuildPlan = {
      ...basePlan,
      nodeVersion: ">=20 <22'",
      warnings: ['yarn.lock found'],
      processes: { web: "node server.js --name 'x' $PORT" },
      processSource: 'Procfile',
    };
    const script = renderBuildScript(plan, { appDir: "/srv/my app's" });
    expect(script).toContain(`cd '/srv/my app'\\''s'`);
    expect(script).toContain(`warn 'yarn.lock found'`);
    expect(script).toContain(`note 'web: node server.js --name '\\''x'\\'' $PORT'`);
    expect(script).toContain(`engines.node`);
  });

  it('is valid bash', async () => {
    const script = renderBuildScript(
      { ...basePlan, build: true, pruneDevDependencies: true, nodeVersion: '20.x' },
      {
        appDir: '/srv/app',
        cacheDir: '/tmp/cache',
      },
    );
    await run('bash', ['-n', '-c', script]);
  });
});

describe('renderFetchSourceScript', () => {
  it('never prints credentials and fetches one ref shallowly first', () => {
    const script = renderFetchSourceScript({
      repoUrl: 'https://x-access-token:secret@github.com/acme/shop.git',
      ref: 'a'.repeat(40),
      dir: '/data/images/b1/app',
    });
    const echoed = script.split('\n').filter((line) => line.startsWith('echo'));
    expect(echoed.join('\n')).not.toContain('secret');
    expect(echoed[0]).toBe(`echo '-----> Fetching https://github.com/acme/shop.git at ${'a'.repeat(40)}'`);
    expect(script).toContain(`git fetch -q --depth 1 origin ${'a'.repeat(40)}`);
    expect(script).toContain('\nrm -rf .git\n');
  });

  describe('run against a real repository', () => {
    let root: string;
    let shas: { first: string; second: string };
    const git = (cwd: string, ...args: string[]) =>
      run('git', args, {
        cwd,
        env: {
          ...process.env,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      }).then((r) => r.stdout.trim());

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'paas-fetch-'));
      const work = join(root, 'work');
      await mkdir(work);
      await git(work, 'init', '-q', '--initial-branch=main');
      await writeFile(join(work, 'file.txt'), 'first');
      await git(work, 'add', '.');
      await git(work, 'commit', '-q', '-m', 'first');
      const first = await git(work, 'rev-parse', 'HEAD');
      await git(work, 'tag', 'v1');
      await git(work, 'checkout', '-q', '-b', 'feature/x');
      await writeFile(join(work, 'file.txt'), 'second');
      await git(work, 'commit', '-q', '-am', 'second');
      const second = await git(work, 'rev-parse', 'HEAD');
      await git(work, 'checkout', '-q', 'main');
      await git(root, 'clone', '-q', '--bare', work, 'repo.git');
      shas = { first, second };
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    async function fetchRef(ref: string) {
      const dir = await mkdtemp(join(root, 'out-'));
      const script = renderFetchSourceScript({ repoUrl: pathToFileURL(join(root, 'repo.git')).href, ref, dir });
      const result = await run('bash', ['-c', script]).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
      const contents = await readFile(join(dir, 'file.txt'), 'utf8').catch(() => null);
      return { ...result, contents, commit: /Checked out commit ([0-9a-f]{40})/.exec(result.out)?.[1] ?? null };
    }

    it.each([
      ['a branch', 'main', 'first', 'first'],
      ['a branch with a slash', 'feature/x', 'second', 'second'],
      ['a tag', 'v1', 'first', 'first'],
    ])('resolves %s to its commit and checks it out', async (_what, ref, content, sha) => {
      const got = await fetchRef(ref);
      expect(got).toMatchObject({ code: 0, contents: content, commit: shas[sha as 'first' | 'second'] });
    });

    it('checks out a full and an abbreviated sha', async () => {
      expect(await fetchRef(shas.second)).toMatchObject({ code: 0, contents: 'second', commit: shas.second });
      expect(await fetchRef(shas.second.slice(0, 9))).toMatchObject({ code: 0, contents: 'second', commit: shas.second });
    });

    it('fails with a message naming a ref the repository does not have', async () => {
      const got = await fetchRef('nope');
      expect(got.code).not.toBe(0);
      expect(got.out).toContain('nope is not a branch, tag or commit of the repository');
      expect(got.commit).toBeNull();
    });
  });
});

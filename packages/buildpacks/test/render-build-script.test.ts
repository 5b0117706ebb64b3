import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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

  it('uses the cache offline-first when one is given', () => {
    const script = renderBuildScript(basePlan, { appDir: '/srv/app', npmCacheDir: '/var/cache/npm' });
    expect(script).toContain('\nexport npm_config_cache=/var/cache/npm\nexport npm_config_prefer_offline=true\n');
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
        npmCacheDir: '/tmp/cache',
      },
    );
    await run('bash', ['-n', '-c', script]);
  });
});

describe('renderFetchSourceScript', () => {
  it('checks out exactly one commit, shallow first, and never prints credentials', () => {
    const script = renderFetchSourceScript({
      repoUrl: 'https://x-access-token:secret@github.com/acme/shop.git',
      commitSha: 'a'.repeat(40),
      dir: '/data/images/b1/app',
    });
    const echoed = script.split('\n').filter((line) => line.startsWith('echo'));
    expect(echoed.join('\n')).not.toContain('secret');
    expect(echoed[0]).toBe(`echo '-----> Fetching https://github.com/acme/shop.git at ${'a'.repeat(40)}'`);
    expect(script).toContain(`git fetch -q --depth 1 origin ${'a'.repeat(40)}`);
    expect(script).toContain(`checkout -q --detach ${'a'.repeat(40)}`);
    expect(script).toContain('\nrm -rf .git\n');
  });
});

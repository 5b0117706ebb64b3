import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type BuildPlan, readImageStack, renderBuildScript, runtimeEnv, runtimePath } from '../src/index';

const run = promisify(execFile);

const plans: Record<BuildPlan['stack'], BuildPlan> = {
  node: {
    stack: 'node',
    nodeVersion: null,
    install: { command: 'npm ci', reason: 'package-lock.json found' },
    build: true,
    pruneDevDependencies: true,
    processes: { web: 'npm start' },
    processSource: 'package.json scripts.start',
    warnings: [],
  },
  python: {
    stack: 'python',
    pythonVersion: '3.11',
    install: { command: 'pip install -r requirements.txt', reason: 'requirements.txt found' },
    processes: { web: 'python -m app' },
    processSource: 'Procfile',
    warnings: [],
  },
  go: {
    stack: 'go',
    module: 'example.com/hello',
    goVersion: '1.19',
    binary: 'hello',
    processes: { web: './bin/hello' },
    processSource: 'go.mod',
    warnings: [],
  },
  static: {
    stack: 'static',
    root: 'public',
    processes: { web: 'node .paas/static-server.mjs public' },
    processSource: 'index.html',
    warnings: [],
  },
};

describe('renderBuildScript for each stack', () => {
  it.each(Object.keys(plans))('renders valid bash for %s, with and without a cache, recording the stack', async (stack) => {
    for (const options of [{ appDir: '/srv/app' }, { appDir: '/srv/app', cacheDir: '/var/cache/app' }]) {
      const script = renderBuildScript(plans[stack as BuildPlan['stack']], options);
      await run('bash', ['-n', '-c', script]);
      expect(script).toContain(`\nmkdir -p .paas && echo ${stack} > .paas/stack\n`);
      expect(script).toContain('step "Build succeeded"');
    }
  });

  it('caches node_modules by lockfile only with a cache and npm ci, and says which it did', () => {
    const cached = renderBuildScript(plans.node, { appDir: '/srv/app', cacheDir: '/c' });
    expect(cached).toContain('"Restoring node_modules from the cache ($lockfile unchanged)"');
    expect(cached).toContain('  npm ci --include=dev\n');
    expect(cached).toContain('cache_save node_modules "$node_key" node_modules');
    // The cached tree is the installed one: the build and the prune come after the save.
    expect(cached.indexOf('cache_save node_modules')).toBeLessThan(cached.indexOf('\nnpm run build\n'));
    expect(cached.indexOf('\nnpm run build\n')).toBeLessThan(cached.indexOf('\nnpm prune --omit=dev\n'));
    const npmInstall = renderBuildScript(
      { ...plans.node, install: { command: 'npm install', reason: 'no lockfile' } } as BuildPlan,
      { appDir: '/srv/app', cacheDir: '/c' },
    );
    expect(npmInstall).not.toContain('cache_restore node_modules');
    expect(npmInstall).toContain('\nnpm install --include=dev\n');
  });

  it('makes a virtualenv and runs pip in it, restoring it from the cache when requirements.txt is unchanged', () => {
    const uncached = renderBuildScript(plans.python, { appDir: '/srv/app' });
    expect(uncached).toContain('\npython3 -m venv .venv\n');
    expect(uncached).toContain('\n.venv/bin/python -m pip install -r requirements.txt\n');
    expect(uncached).not.toContain('--no-build-isolation');
    expect(uncached).toContain('this builder does not download other versions');
    const cached = renderBuildScript(plans.python, { appDir: '/srv/app', cacheDir: '/c' });
    expect(cached).toContain("'Restoring the virtualenv from the cache (requirements.txt unchanged)'");
    expect(cached).toContain('export PIP_CACHE_DIR="$paas_cache/pip"');
    expect(cached).toContain('\n.venv/bin/python -m pip install -r requirements.txt\n');
    const pyproject = renderBuildScript(
      { ...plans.python, install: { command: 'pip install .', reason: 'pyproject.toml declares a [project]' } } as BuildPlan,
      { appDir: '/srv/app', cacheDir: '/c' },
    );
    expect(pyproject).toContain('  cat pyproject.toml\n');
    expect(pyproject).toContain('\n.venv/bin/python -m pip install .\n');
  });

  it('builds Go with the module’s own go.sum, no toolchain downloads, caches in the app cache', () => {
    const script = renderBuildScript(plans.go, { appDir: '/srv/app', cacheDir: '/c' });
    expect(script).toContain('\ngo build -o bin/ ./...\n');
    expect(script).toContain('\nexport GOTOOLCHAIN=local\n');
    expect(script).toContain('export GOPATH="$paas_cache/go" GOCACHE="$paas_cache/go-build"');
    expect(script).not.toContain('-mod=mod');
    expect(script).not.toContain('GOPROXY');
  });

  it('writes the static server into the image', () => {
    const script = renderBuildScript(plans.static, { appDir: '/srv/app' });
    expect(script).toContain("cat > .paas/static-server.mjs <<'PAAS_STATIC_SERVER_END'\n// The platform's static file server");
    expect(script).toContain('Static site detected (serving public/)');
  });
});

describe('runtime environment', () => {
  const resources = { memoryMb: 512, cpus: 1 };

  it('puts the image’s own tools first on PATH', () => {
    expect(runtimePath('node', '/img')).toEqual(['/img/node_modules/.bin']);
    expect(runtimePath('static', '/img')).toEqual(['/img/node_modules/.bin']);
    expect(runtimePath('python', '/img')).toEqual(['/img/.venv/bin']);
    expect(runtimePath('go', '/img')).toEqual(['/img/bin']);
  });

  it('activates the virtualenv for Python, sizes every stack', () => {
    expect(runtimeEnv('python', '/img', resources)).toEqual({
      MEMORY_AVAILABLE: '512',
      WEB_MEMORY: '512',
      WEB_CONCURRENCY: '1',
      VIRTUAL_ENV: '/img/.venv',
      PYTHONUNBUFFERED: '1',
    });
    expect(runtimeEnv('go', '/img', resources)).toEqual({ MEMORY_AVAILABLE: '512', WEB_MEMORY: '512', WEB_CONCURRENCY: '1' });
    expect(runtimeEnv('node', '/img', resources)).toMatchObject({
      NODE_ENV: 'production',
      NODE_OPTIONS: '--max-old-space-size=384',
    });
    expect(runtimeEnv('static', '/img', resources)).toMatchObject({ NODE_ENV: 'production' });
  });

  it('reads the stack an image was built as; images from before are Node.js', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paas-stack-'));
    try {
      expect(await readImageStack(dir)).toBe('node');
      await mkdir(join(dir, '.paas'));
      await writeFile(join(dir, '.paas', 'stack'), 'python\n');
      expect(await readImageStack(dir)).toBe('python');
      await writeFile(join(dir, '.paas', 'stack'), 'cobol\n');
      await expect(readImageStack(dir)).rejects.toThrow('unknown stack');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

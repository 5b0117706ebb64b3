import { describe, expect, it } from 'vitest';
import { DetectionError, detect, memorySourceReader } from '../src/index';

const procfile = 'web: python -m app\n';

describe('detect: which stack', () => {
  it.each([
    [
      'package.json over everything else',
      { 'package.json': '{"scripts":{"start":"x"}}', 'requirements.txt': '', 'go.mod': 'module m', 'index.html': '' },
      'node',
    ],
    [
      'requirements.txt over go.mod and index.html',
      { 'requirements.txt': '', Procfile: procfile, 'go.mod': 'module m', 'index.html': '' },
      'python',
    ],
    ['pyproject.toml alone', { 'pyproject.toml': '[project]\nname = "a"\n', Procfile: procfile }, 'python'],
    ['go.mod over index.html', { 'go.mod': 'module m\n', 'main.go': 'package main\n', 'index.html': '' }, 'go'],
    ['index.html alone', { 'index.html': '<h1>hi</h1>' }, 'static'],
    ['public/index.html alone', { 'public/index.html': '<h1>hi</h1>', 'README.md': '' }, 'static'],
  ])('%s', async (_what, files, stack) => {
    expect((await detect(memorySourceReader(files))).stack).toBe(stack);
  });
});

describe('detect: Python', () => {
  it('installs requirements.txt into a virtualenv, processes from the Procfile', async () => {
    const plan = await detect(
      memorySourceReader({
        'requirements.txt': './vendor/greeting\n',
        'pyproject.toml': '[tool.ruff]\n',
        '.python-version': '3.11\n',
        Procfile: 'web: python -m app\nworker: python -m worker\n',
      }),
    );
    expect(plan).toEqual({
      stack: 'python',
      pythonVersion: '3.11',
      install: { command: 'pip install -r requirements.txt', reason: 'requirements.txt found' },
      processes: { web: 'python -m app', worker: 'python -m worker' },
      processSource: 'Procfile',
      warnings: [],
    });
  });

  it('installs the project itself from pyproject.toml with a [project] table', async () => {
    const plan = await detect(
      memorySourceReader({ 'pyproject.toml': '[build-system]\nrequires = []\n\n[project]\nname = "app"\n', Procfile: procfile }),
    );
    expect(plan).toMatchObject({ stack: 'python', install: { command: 'pip install .' }, warnings: [] });
  });

  it('installs nothing, with a warning, when pyproject.toml only configures tools', async () => {
    const plan = await detect(memorySourceReader({ 'pyproject.toml': '[tool.black]\n', Procfile: procfile, Pipfile: '' }));
    expect(plan).toMatchObject({
      stack: 'python',
      install: null,
      warnings: [
        'pyproject.toml has no [project] table and there is no requirements.txt: nothing to install',
        'Pipfile found, but this buildpack installs with pip (nothing)',
      ],
    });
  });

  it('reads runtime.txt when there is no .python-version', async () => {
    const plan = await detect(
      memorySourceReader({ 'requirements.txt': '', 'runtime.txt': 'python-3.12.1\n', Procfile: procfile }),
    );
    expect(plan).toMatchObject({ pythonVersion: 'python-3.12.1' });
  });

  it('asks for a Procfile rather than guessing how the app starts', async () => {
    const detection = detect(memorySourceReader({ 'requirements.txt': 'flask\n', 'app.py': 'print(1)\n' }));
    await expect(detection).rejects.toBeInstanceOf(DetectionError);
    await expect(detection).rejects.toThrow(
      'Cannot tell how to start this Python app: it has no Procfile. Add one with a line like',
    );
  });
});

describe('detect: Go', () => {
  it('builds every main package into bin/ and runs the root one as web', async () => {
    const plan = await detect(
      memorySourceReader({
        'go.mod': '// the module\nmodule example.com/shop/api // ours\n\ngo 1.19\n\nreplace example.com/greeting => ./greeting\n',
        'main_test.go': 'package main\n',
        'main.go': '//go:build linux\n\npackage main\n\nfunc main() {}\n',
      }),
    );
    expect(plan).toEqual({
      stack: 'go',
      module: 'example.com/shop/api',
      goVersion: '1.19',
      binary: 'api',
      processes: { web: './bin/api' },
      processSource: 'go.mod',
      warnings: [],
    });
  });

  it('names the executable after the element before a major version suffix, as go build does', async () => {
    const plan = await detect(
      memorySourceReader({ 'go.mod': 'module "github.com/acme/shop/v2"\n', 'main.go': 'package main\n' }),
    );
    expect(plan).toMatchObject({ binary: 'shop', processes: { web: './bin/shop' }, goVersion: null });
  });

  it('takes a Procfile when there is one', async () => {
    const plan = await detect(memorySourceReader({ 'go.mod': 'module m\n', Procfile: 'web: ./bin/api -port $PORT\n' }));
    expect(plan).toMatchObject({ processes: { web: './bin/api -port $PORT' }, processSource: 'Procfile' });
  });

  it('asks for a Procfile when there is no main package at the root', async () => {
    const detection = detect(
      memorySourceReader({ 'go.mod': 'module m\n', 'lib.go': 'package m\n', 'main_test.go': 'package main\n' }),
    );
    await expect(detection).rejects.toThrow('Cannot tell how to start this Go app: no Procfile and no main package at the root');
  });

  it('refuses a go.mod without a module line', async () => {
    await expect(detect(memorySourceReader({ 'go.mod': 'go 1.21\n' }))).rejects.toThrow('go.mod has no module line');
  });
});

describe('detect: static sites', () => {
  it('serves public/ when it holds index.html, so the rest of the repository stays private', async () => {
    const plan = await detect(memorySourceReader({ 'index.html': '', 'public/index.html': '' }));
    expect(plan).toEqual({
      stack: 'static',
      root: 'public',
      processes: { web: 'node .paas/static-server.mjs public' },
      processSource: 'index.html',
      warnings: [],
    });
  });

  it('serves the root when index.html is there', async () => {
    const plan = await detect(memorySourceReader({ 'index.html': '' }));
    expect(plan).toMatchObject({ root: '.', processes: { web: 'node .paas/static-server.mjs .' } });
  });

  it('takes a Procfile when there is one', async () => {
    const plan = await detect(memorySourceReader({ 'index.html': '', Procfile: 'web: node .paas/static-server.mjs site\n' }));
    expect(plan).toMatchObject({ processSource: 'Procfile', processes: { web: 'node .paas/static-server.mjs site' } });
  });
});

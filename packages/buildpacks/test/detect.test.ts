import { describe, expect, it } from 'vitest';
import { DetectionError, detect, memorySourceReader, type NodeBuildPlan, type SourceReader } from '../src/index';

const pkg = (value: unknown) => JSON.stringify(value);

/** detect, for a tree that must be a Node.js app. */
async function detectNode(source: SourceReader): Promise<NodeBuildPlan> {
  const plan = await detect(source);
  if (plan.stack !== 'node') throw new Error(`detected ${plan.stack}, not node`);
  return plan;
}

describe('detect', () => {
  it('uses npm ci when a lockfile exists, npm start when there is no Procfile', async () => {
    const plan = await detectNode(
      memorySourceReader({
        'package.json': pkg({ scripts: { start: 'node server.js' }, dependencies: {} }),
        'package-lock.json': '{}',
      }),
    );
    expect(plan).toEqual({
      stack: 'node',
      nodeVersion: null,
      install: { command: 'npm ci', reason: 'package-lock.json found' },
      build: false,
      pruneDevDependencies: false,
      processes: { web: 'npm start' },
      processSource: 'package.json scripts.start',
      warnings: [],
    });
  });

  it('treats npm-shrinkwrap.json as a lockfile', async () => {
    const plan = await detectNode(
      memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x' } }), 'npm-shrinkwrap.json': '{}' }),
    );
    expect(plan.install).toEqual({ command: 'npm ci', reason: 'npm-shrinkwrap.json found' });
  });

  it('uses npm install without a lockfile when there are dependencies, and prunes devDependencies', async () => {
    const plan = await detectNode(
      memorySourceReader({
        'package.json': pkg({ scripts: { start: 'x' }, dependencies: { a: '1' }, devDependencies: { b: '1' } }),
      }),
    );
    expect(plan.install?.command).toBe('npm install');
    expect(plan.pruneDevDependencies).toBe(true);
  });

  it('installs nothing when there are no dependencies and no lockfile', async () => {
    const plan = await detectNode(memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x' } }) }));
    expect(plan.install).toBeNull();
    expect(plan.pruneDevDependencies).toBe(false);
  });

  it('warns about other package managers’ lockfiles', async () => {
    const plan = await detectNode(
      memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x' }, dependencies: { a: '1' } }), 'yarn.lock': '' }),
    );
    expect(plan.install?.command).toBe('npm install');
    expect(plan.warnings).toEqual(['yarn.lock found, but this buildpack uses npm: dependencies are resolved by npm install']);
  });

  it('runs npm run build only when scripts.build is defined', async () => {
    const withBuild = await detectNode(memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x', build: 'tsc' } }) }));
    const withoutBuild = await detectNode(memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x' } }) }));
    expect(withBuild.build).toBe(true);
    expect(withoutBuild.build).toBe(false);
  });

  it('records engines.node without acting on it', async () => {
    const plan = await detectNode(
      memorySourceReader({ 'package.json': pkg({ engines: { node: '20.x' }, scripts: { start: 'x' } }) }),
    );
    expect(plan.nodeVersion).toBe('20.x');
  });

  it('takes process types from a Procfile over the start script', async () => {
    const plan = await detectNode(
      memorySourceReader({
        'package.json': pkg({ scripts: { start: 'node other.js' } }),
        Procfile: '# processes\n\nweb: node server.js --port $PORT\nworker:   node worker.js  \n',
      }),
    );
    expect(plan.processes).toEqual({ web: 'node server.js --port $PORT', worker: 'node worker.js' });
    expect(plan.processSource).toBe('Procfile');
  });

  it('falls back to node server.js', async () => {
    const plan = await detectNode(memorySourceReader({ 'package.json': pkg({}), 'server.js': '' }));
    expect(plan.processes).toEqual({ web: 'node server.js' });
    expect(plan.processSource).toBe('server.js');
  });

  it('fails clearly when it cannot tell how to start the app', async () => {
    const detection = detect(memorySourceReader({ 'package.json': pkg({ scripts: { build: 'tsc' } }) }));
    await expect(detection).rejects.toBeInstanceOf(DetectionError);
    await expect(detection).rejects.toThrow('no Procfile and no start script in package.json');
  });

  it('fails with one message naming everything it looked for when no kind of app is recognised', async () => {
    const detection = detect(memorySourceReader({ 'README.md': '# hi', 'src/index.html': '', Procfile: 'web: x' }));
    await expect(detection).rejects.toBeInstanceOf(DetectionError);
    await expect(detection).rejects.toThrow(
      'Cannot tell what kind of app this is. Looked at the root of the repository for package.json (Node.js), ' +
        'requirements.txt or pyproject.toml (Python), go.mod (Go), and index.html or public/index.html (a static site); found none.',
    );
  });

  it('fails clearly on invalid package.json', async () => {
    await expect(detect(memorySourceReader({ 'package.json': '{ nope' }))).rejects.toThrow(/package.json is not valid JSON/);
    await expect(detect(memorySourceReader({ 'package.json': '[]' }))).rejects.toThrow('package.json must contain a JSON object');
  });

  it.each([
    ['web node server.js', 'Procfile line 1: expected "type: command", got "web node server.js"'],
    ['we b: node server.js', 'Procfile line 1: process type "we b" must be 1-30 letters, digits, "_" or "-"'],
    ['# only\nweb:', 'Procfile line 2: process type "web" has no command'],
    ['web: a\nweb: b', 'Procfile line 2: process type "web" is declared twice'],
    ['# nothing here\n\n', 'Procfile declares no process types; add a line like "web: node server.js"'],
  ])('rejects the Procfile %j', async (procfile, message) => {
    await expect(
      detect(memorySourceReader({ 'package.json': pkg({ scripts: { start: 'x' } }), Procfile: procfile })),
    ).rejects.toThrow(message);
  });
});

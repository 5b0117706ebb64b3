import type { NodeBuildPlan, ProcessCommands } from './build-plan';
import { DetectionError } from './detection-error';
import { parseProcfile } from './procfile';
import type { SourceReader } from './source-reader';

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
  engines?: { node?: unknown };
}

/** How to build and start a Node.js app (the tree has a package.json). */
export async function detectNode(source: SourceReader, names: Set<string>): Promise<NodeBuildPlan> {
  const pkg = await readPackageJson(source);
  const warnings: string[] = [];

  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find((name) => names.has(name));
  const hasDependencies = [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies].some(
    (deps) => isRecord(deps) && Object.keys(deps).length > 0,
  );
  const install: NodeBuildPlan['install'] = lockfile
    ? { command: 'npm ci', reason: `${lockfile} found` }
    : hasDependencies
      ? { command: 'npm install', reason: 'package.json has dependencies and there is no lockfile' }
      : null;
  for (const other of ['yarn.lock', 'pnpm-lock.yaml', 'bun.lockb']) {
    if (names.has(other) && !lockfile) {
      warnings.push(`${other} found, but this buildpack uses npm: dependencies are resolved by npm install`);
    }
  }

  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  const build = typeof scripts.build === 'string' && scripts.build.trim() !== '';
  const devDependencies = isRecord(pkg.devDependencies) ? Object.keys(pkg.devDependencies) : [];

  const nodeVersion = isRecord(pkg.engines) && typeof pkg.engines.node === 'string' ? pkg.engines.node : null;

  const { processes, processSource } = await detectProcesses(source, names, scripts);

  return {
    stack: 'node',
    nodeVersion,
    install,
    build,
    pruneDevDependencies: install !== null && devDependencies.length > 0,
    processes,
    processSource,
    warnings,
  };
}

async function readPackageJson(source: SourceReader): Promise<PackageJson> {
  const text = (await source.read('package.json')) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DetectionError(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new DetectionError('package.json must contain a JSON object');
  return parsed as PackageJson;
}

async function detectProcesses(
  source: SourceReader,
  names: Set<string>,
  scripts: Record<string, unknown>,
): Promise<{ processes: ProcessCommands; processSource: NodeBuildPlan['processSource'] }> {
  const procfile = names.has('Procfile') ? await source.read('Procfile') : null;
  if (procfile !== null) return { processes: parseProcfile(procfile), processSource: 'Procfile' };
  if (typeof scripts.start === 'string' && scripts.start.trim() !== '') {
    return { processes: { web: 'npm start' }, processSource: 'package.json scripts.start' };
  }
  if (names.has('server.js')) return { processes: { web: 'node server.js' }, processSource: 'server.js' };
  throw new DetectionError(
    'Cannot tell how to start this app: no Procfile and no start script in package.json (and no server.js). ' +
      'Add a Procfile with a line like "web: node server.js", or a "start" script.',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

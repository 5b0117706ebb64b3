import type { GoBuildPlan } from './build-plan';
import { DetectionError } from './detection-error';
import { parseProcfile } from './procfile';
import type { SourceReader } from './source-reader';

/**
 * How to build and start a Go module (the tree has go.mod). Every main package
 * is built into bin/; without a Procfile the root main package is the web
 * process, under the name `go build` gives it.
 */
export async function detectGo(source: SourceReader, names: Set<string>): Promise<GoBuildPlan> {
  const goMod = (await source.read('go.mod')) ?? '';
  const module = /^\s*module\s+"?([^"\s]+)"?\s*(\/\/.*)?$/m.exec(goMod)?.[1];
  if (module === undefined) throw new DetectionError('go.mod has no module line (like "module example.com/app")');
  const goVersion = /^\s*go\s+(\S+)\s*(\/\/.*)?$/m.exec(goMod)?.[1] ?? null;
  const binary = executableName(module);

  const procfile = names.has('Procfile') ? await source.read('Procfile') : null;
  const base = { stack: 'go' as const, module, goVersion, binary, warnings: [] };
  if (procfile !== null) return { ...base, processes: parseProcfile(procfile), processSource: 'Procfile' };
  if (!(await hasRootMainPackage(source, names))) {
    throw new DetectionError(
      'Cannot tell how to start this Go app: no Procfile and no main package at the root of the module. ' +
        'Every main package is built into bin/ (cmd/api becomes bin/api): add a Procfile with a line like "web: ./bin/api".',
    );
  }
  return { ...base, processes: { web: `./bin/${binary}` }, processSource: 'go.mod' };
}

/** The last element of the import path, or the one before a major version suffix (`example.com/app/v2` → `app`), as go build names it. */
function executableName(module: string): string {
  const parts = module.split('/');
  const last = parts.at(-1) ?? module;
  return /^v[0-9]+$/.test(last) && parts.length > 1 ? (parts.at(-2) as string) : last;
}

async function hasRootMainPackage(source: SourceReader, names: Set<string>): Promise<boolean> {
  const files = [...names].filter((name) => name.endsWith('.go') && !name.endsWith('_test.go')).slice(0, 100);
  for (const name of files) {
    const text = (await source.read(name)) ?? '';
    // The package clause follows comments and build constraints only.
    if (/^package\s+main\b/m.test(text)) return true;
  }
  return false;
}

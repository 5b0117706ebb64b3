import type { PythonBuildPlan } from './build-plan';
import { DetectionError } from './detection-error';
import { parseProcfile } from './procfile';
import type { SourceReader } from './source-reader';

/**
 * How to build and start a Python app (the tree has requirements.txt or
 * pyproject.toml). requirements.txt wins when both exist: pyproject.toml is
 * then often just tool settings. There is no default process: whether an app
 * runs under gunicorn, uvicorn or as a script is the app's choice, and a
 * guessed `python app.py` that does not listen on $PORT fails later and less clearly.
 */
export async function detectPython(source: SourceReader, names: Set<string>): Promise<PythonBuildPlan> {
  const warnings: string[] = [];
  let install: PythonBuildPlan['install'] = null;
  if (names.has('requirements.txt')) {
    install = { command: 'pip install -r requirements.txt', reason: 'requirements.txt found' };
  } else {
    const pyproject = (await source.read('pyproject.toml')) ?? '';
    if (/^\s*\[project\]\s*(#.*)?$/m.test(pyproject)) {
      install = { command: 'pip install .', reason: 'pyproject.toml declares a [project]' };
    } else {
      warnings.push('pyproject.toml has no [project] table and there is no requirements.txt: nothing to install');
    }
  }
  for (const other of ['Pipfile', 'poetry.lock', 'uv.lock']) {
    if (names.has(other))
      warnings.push(`${other} found, but this buildpack installs with pip (${install?.command ?? 'nothing'})`);
  }

  const procfile = names.has('Procfile') ? await source.read('Procfile') : null;
  if (procfile === null) {
    throw new DetectionError(
      'Cannot tell how to start this Python app: it has no Procfile. Add one with a line like ' +
        '"web: gunicorn app:app" or "web: python -m app"; the web process must listen on $PORT.',
    );
  }
  return {
    stack: 'python',
    pythonVersion: await declaredVersion(source, names),
    install,
    processes: parseProcfile(procfile),
    processSource: 'Procfile',
    warnings,
  };
}

async function declaredVersion(source: SourceReader, names: Set<string>): Promise<string | null> {
  for (const name of ['.python-version', 'runtime.txt']) {
    if (!names.has(name)) continue;
    const first = ((await source.read(name)) ?? '').split(/\r?\n/)[0]?.trim() ?? '';
    if (first !== '') return first;
  }
  return null;
}

import type { PythonBuildPlan } from './build-plan';
import { shellQuote } from './shell';

// A virtualenv is not relocatable: its scripts' #! lines and activate files
// name the directory it was made in. A restored one is made right for where
// it now is, in its text files only (bin/ and pyvenv.cfg); site-packages
// holds no absolute paths, except editable installs, which are never cached.
const RELOCATE = `import os, sys
old, new = sys.argv[1].encode(), sys.argv[2].encode()
paths = [os.path.join(sys.argv[2], 'pyvenv.cfg')]
paths += [os.path.join(sys.argv[2], 'bin', name) for name in os.listdir(os.path.join(sys.argv[2], 'bin'))]
for path in paths:
    if old == new or os.path.islink(path) or not os.path.isfile(path):
        continue
    with open(path, 'rb') as f:
        data = f.read()
    if old in data and b'\\0' not in data:
        with open(path, 'wb') as f:
            f.write(data.replace(old, new))`;

/**
 * The steps of a Python build: a virtualenv in .venv (restored from the cache
 * when the requirements are unchanged), then pip. pip runs on a restored
 * virtualenv too: what is already installed is skipped without asking an
 * index, and local packages (`./vendor/lib`, `.`) are reinstalled from this
 * commit's source, so a cache hit never serves stale code.
 *
 * pip's own configuration is honoured (PIP_INDEX_URL, PIP_FIND_LINKS,
 * /etc/pip.conf, and a pip.conf in the repository): that is how a host
 * without PyPI points it at a mirror. Build isolation stays on, as pip's
 * default: --no-build-isolation would need setuptools and wheel in the
 * virtualenv (a fresh one has no wheel, and from Python 3.12 no setuptools)
 * and would break local packages built with any other backend. Wheels and
 * local packages with no build requirements install without an index.
 */
export function renderPythonSteps(plan: PythonBuildPlan, cached: boolean): string[] {
  const lines: string[] = [
    'step "Python app detected"',
    'if ! command -v python3 >/dev/null 2>&1; then warn "python3 is not installed on this builder"; exit 1; fi',
    'note "Using $(python3 --version 2>&1)"',
  ];
  if (plan.pythonVersion !== null) {
    lines.push(
      `note ${shellQuote(`The app asks for Python ${plan.pythonVersion}; this builder does not download other versions`)}`,
    );
  }
  for (const warning of plan.warnings) lines.push(`warn ${shellQuote(warning)}`);
  lines.push(
    'export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash default, not a JS template
    'if [ -z "${PIP_CONFIG_FILE:-}" ] && [ -f pip.conf ]; then export PIP_CONFIG_FILE="$PWD/pip.conf"; note "Using the repository\'s pip.conf"; fi',
  );
  if (cached) lines.push('export PIP_CACHE_DIR="$paas_cache/pip"');
  lines.push('rm -rf .venv');

  const create = ['step "Creating a virtualenv in .venv"', 'python3 -m venv .venv'];
  const install = plan.install;
  if (install === null) {
    lines.push('', ...create);
  } else if (!cached) {
    lines.push('', ...create, `step ${shellQuote(`Installing dependencies with ${install.command} (${install.reason})`)}`);
    lines.push(`.venv/bin/python -m ${install.command}`);
  } else {
    const file = install.command === 'pip install .' ? 'pyproject.toml' : 'requirements.txt';
    lines.push(
      '',
      'venv_key=$({',
      '  echo "venv v1"',
      `  cat ${file}`,
      `  python3 -c 'import platform, sys; print(sys.version, sys.base_prefix, platform.machine())'`,
      `  echo ${shellQuote(install.command)}`,
      '  uname -sm',
      '} | cache_key)',
      `if cache_restore venv "$venv_key" .venv ${shellQuote(`Restoring the virtualenv from the cache (${file} unchanged)`)} && [ -s .venv/.paas-origin ]; then`,
      `  python3 - "$(cat .venv/.paas-origin)" "$PWD/.venv" <<'PAAS_RELOCATE'`,
      RELOCATE,
      'PAAS_RELOCATE',
      '  venv_restored=1',
      'else',
      '  rm -rf .venv',
      ...create.map((line) => `  ${line}`),
      '  venv_restored=',
      'fi',
      'if [ -n "$venv_restored" ]; then',
      `  step ${shellQuote(`Updating dependencies with ${install.command} (installs only what changed)`)}`,
      'else',
      `  step ${shellQuote(`Installing dependencies with ${install.command} (${install.reason})`)}`,
      'fi',
      `.venv/bin/python -m ${install.command}`,
      'printf \'%s\\n\' "$PWD/.venv" > .venv/.paas-origin',
      'if [ -z "$venv_restored" ]; then',
      // Editable installs point into this image by absolute path: elsewhere they would be broken.
      `  if grep -rqsF "$PWD" .venv/lib/python*/site-packages --include='*.pth' --include='__editable__*'; then`,
      '    note "Editable installs point into this image: the virtualenv is not cached"',
      '  else',
      '    cache_save venv "$venv_key" .venv',
      '  fi',
      'fi',
    );
  }
  return lines;
}

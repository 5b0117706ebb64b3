import type { NodeBuildPlan } from './build-plan';
import { shellQuote } from './shell';

// What `npm ci` checks package.json against the lockfile for: a change to any
// of them must miss the cache, as it would fail or change `npm ci`.
const INSTALL_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bundledDependencies',
  'overrides',
  'workspaces',
];
// The root package's scripts `npm ci` runs, in its order; a restore runs them too
// (they may generate files from the source, e.g. a database client).
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

// Everything the steps below ask of node and package.json, in one node start
// (each start costs tens of milliseconds, and `npm --version` a quarter of a
// second: npm's version is read from its package.json beside the binary).
// Prints shell assignments, each value single-quoted.
const FACTS_SCRIPT = `const fs = require('node:fs'), path = require('node:path');
const q = (v) => "'" + String(v).replace(/'/g, "'\\\\''") + "'";
const p = JSON.parse(fs.readFileSync('package.json', 'utf8'));
let npm = '';
try {
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(fs.realpathSync(process.argv[1])), '..', 'package.json'), 'utf8'));
  if (pkg.name === 'npm') npm = pkg.version;
} catch {}
const scripts = p.scripts ?? {};
console.log([
  'node_version=' + q(process.versions.node),
  'npm_version=' + q(npm),
  'install_fields=' + q(JSON.stringify(${JSON.stringify(INSTALL_FIELDS)}.map((k) => p[k] ?? null))),
  'workspaces=' + q(p.workspaces ? 1 : 0),
  'install_scripts=' + q(${JSON.stringify(INSTALL_SCRIPTS)}.filter((n) => typeof scripts[n] === 'string').join(' ')),
].join('\\n'));`;

/** The steps of a Node.js build: install (or restore node_modules from the cache), build, prune. */
export function renderNodeSteps(plan: NodeBuildPlan, cached: boolean): string[] {
  const lines: string[] = [
    'step "Node.js app detected"',
    'if ! command -v node >/dev/null 2>&1; then warn "node is not installed on this builder"; exit 1; fi',
    `eval "$(node -e ${shellQuote(FACTS_SCRIPT)} "$(command -v npm || true)")"`,
    // An npm installed another way than beside its package.json: ask it (slower).
    'if [ -z "$npm_version" ]; then npm_version=$(npm --version); fi',
    'note "Using node v$node_version and npm $npm_version"',
  ];
  if (plan.nodeVersion !== null) {
    lines.push(
      `note ${shellQuote(`package.json asks for node ${plan.nodeVersion} (engines.node); this builder does not download other versions`)}`,
    );
  }
  for (const warning of plan.warnings) lines.push(`warn ${shellQuote(warning)}`);

  const installStep = (install: NonNullable<NodeBuildPlan['install']>) =>
    `step ${shellQuote(`Installing dependencies with ${install.command} (${install.reason})`)}`;
  if (plan.install === null) {
    lines.push('', 'step "No dependencies to install"');
  } else if (plan.install.command !== 'npm ci' || !cached) {
    // devDependencies are needed by most build steps; they are pruned below.
    lines.push('', installStep(plan.install), `${plan.install.command} --include=dev`);
  } else {
    // Only a lockfile install is cached: `npm install` may resolve differently each time.
    // The cached tree is the one right after `npm ci --include=dev`, before the build and prune change it.
    lines.push(
      '',
      'lockfile=package-lock.json; if [ -f npm-shrinkwrap.json ]; then lockfile=npm-shrinkwrap.json; fi',
      'node_key=$({',
      '  echo "node_modules v1"',
      '  cat npm-shrinkwrap.json package-lock.json 2>/dev/null || true',
      '  printf "%s\\n" "$install_fields"',
      '  cat .npmrc 2>/dev/null || true',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion, not a JS template
      '  echo "node ${node_version%%.*} npm ${npm_version%%.*}"',
      `  echo ${shellQuote(`${plan.install.command} --include=dev`)}`,
      '  uname -sm',
      '} | cache_key)',
      // Workspaces install into each workspace's node_modules too, which one cached tree would not hold.
      'if [ "$workspaces" = 1 ]; then node_key=; note "npm workspaces: node_modules is not cached"; fi',
      'rm -rf node_modules',
      'if [ -n "$node_key" ] && cache_restore node_modules "$node_key" node_modules "Restoring node_modules from the cache ($lockfile unchanged)"; then',
      '  for script in $install_scripts; do',
      '    note "Running the $script script, as npm ci would"',
      // --ignore-scripts: npm run would add the pre/post scripts, which the loop runs itself.
      '    npm run --ignore-scripts "$script"',
      '  done',
      'else',
      `  ${installStep(plan.install)}`,
      `  ${plan.install.command} --include=dev`,
      // With no dependencies npm ci makes no node_modules: an empty one is cached, so the next build skips npm ci too.
      '  if [ -n "$node_key" ]; then mkdir -p node_modules && cache_save node_modules "$node_key" node_modules; fi',
      'fi',
    );
  }
  if (plan.build) lines.push('', 'step "Building with npm run build"', 'npm run build');
  if (plan.pruneDevDependencies) lines.push('', 'step "Pruning devDependencies"', 'npm prune --omit=dev');
  return lines;
}

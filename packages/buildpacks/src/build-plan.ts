/** Commands per process type, e.g. `{ web: 'npm start' }` (same shape as the cloud port's `ProcessCommands`). */
export type ProcessCommands = Record<string, string>;

export type InstallCommand = 'npm ci' | 'npm install';

/** What kind of app a source tree is, which decides how it builds and what its processes start with. */
export type Stack = BuildPlan['stack'];

/**
 * What a build will do, decided from the source tree alone. It is data, not a
 * script, so the same plan renders into a local build and into an AMI bake.
 */
export type BuildPlan = NodeBuildPlan | PythonBuildPlan | GoBuildPlan | StaticBuildPlan;

export interface NodeBuildPlan {
  stack: 'node';
  /** `engines.node` as the app wrote it. Recorded only: builders download no toolchains. */
  nodeVersion: string | null;
  /** null when package.json declares no dependencies and there is no lockfile. */
  install: { command: InstallCommand; reason: string } | null;
  /** `npm run build`, only when package.json defines scripts.build. */
  build: boolean;
  /** devDependencies are installed for the build and removed afterwards, like Heroku does. */
  pruneDevDependencies: boolean;
  processes: ProcessCommands;
  /** Where the process types came from, for the build log. */
  processSource: 'Procfile' | 'package.json scripts.start' | 'server.js';
  /** Things worth telling the developer that do not stop the build. */
  warnings: string[];
}

/** A Python app: a virtualenv in `.venv` of the image, filled by pip. */
export interface PythonBuildPlan {
  stack: 'python';
  /** `.python-version` or `runtime.txt` as the app wrote it. Recorded only, like nodeVersion. */
  pythonVersion: string | null;
  /** null when pyproject.toml only configures tools (no [project] table) and there is no requirements.txt. */
  install: { command: PipInstallCommand; reason: string } | null;
  processes: ProcessCommands;
  /** Python apps say how they start: a WSGI/ASGI server or a script is the app's choice. */
  processSource: 'Procfile';
  warnings: string[];
}

export type PipInstallCommand = 'pip install -r requirements.txt' | 'pip install .';

/** A Go module: every main package is built into `bin/`. */
export interface GoBuildPlan {
  stack: 'go';
  /** The module path from go.mod. */
  module: string;
  /** The go directive of go.mod. Recorded only: builders download no toolchains. */
  goVersion: string | null;
  /** What `go build` names the root main package's executable (in `bin/`). */
  binary: string;
  processes: ProcessCommands;
  processSource: 'Procfile' | 'go.mod';
  warnings: string[];
}

/** Files served as they are by the platform's static file server. */
export interface StaticBuildPlan {
  stack: 'static';
  /** The directory served, relative to the app: `public` when it holds index.html, else the root. */
  root: '.' | 'public';
  processes: ProcessCommands;
  processSource: 'Procfile' | 'index.html';
  warnings: string[];
}

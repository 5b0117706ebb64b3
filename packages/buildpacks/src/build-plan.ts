/** Commands per process type, e.g. `{ web: 'npm start' }` (same shape as the cloud port's `ProcessCommands`). */
export type ProcessCommands = Record<string, string>;

export type InstallCommand = 'npm ci' | 'npm install';

/**
 * What a build will do, decided from the source tree alone. It is data, not a
 * script, so the same plan renders into a local build and into an AMI bake.
 */
export interface BuildPlan {
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

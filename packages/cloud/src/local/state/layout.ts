import { join, resolve } from 'node:path';

/**
 * Where the local provider keeps its state, like a cloud keeps its own. One
 * file per build, template, server group and route, so concurrent writers
 * (several jobs of a worker, several workers) never rewrite each other's files.
 *
 *   images/<buildId>/build.json    the build request (immutable)
 *   images/<buildId>/runner.json   pid + start time of the detached builder
 *   images/<buildId>/result.json   outcome, written once
 *   images/<buildId>/build.log     capped build output
 *   images/<buildId>/runner.err    the builder's own crash output, if any
 *   images/<buildId>/app/          the image: checked-out tree after the build
 *   templates/<app>-v<N>.json      release templates (0600: they hold config vars)
 *   groups/<name>.json             server group desired state + instances
 *   routes/<app>.json              hostnames -> server group
 *   logs/<group>/<instance>.log    process output (+ .exit with its exit status)
 *   locks/<key>.lock               short-lived cross-process locks
 *   cache/npm/                     npm cache shared by builds
 */
export interface Layout {
  root: string;
  images: string;
  templates: string;
  groups: string;
  routes: string;
  logs: string;
  locks: string;
  npmCache: string;
  image(buildId: string): ImageLayout;
  template(templateRef: string): string;
  group(name: string): string;
  route(app: string): string;
  instanceLog(group: string, instanceId: string): string;
  instanceExit(group: string, instanceId: string): string;
  lock(key: string): string;
}

export interface ImageLayout {
  dir: string;
  build: string;
  runner: string;
  result: string;
  log: string;
  runnerErr: string;
  script: string;
  app: string;
}

export function layout(dataDir: string): Layout {
  const root = resolve(dataDir);
  const images = join(root, 'images');
  const templates = join(root, 'templates');
  const groups = join(root, 'groups');
  const routes = join(root, 'routes');
  const logs = join(root, 'logs');
  const locks = join(root, 'locks');
  return {
    root,
    images,
    templates,
    groups,
    routes,
    logs,
    locks,
    npmCache: join(root, 'cache', 'npm'),
    image(buildId) {
      const dir = join(images, safeName(buildId, 'buildId'));
      return {
        dir,
        build: join(dir, 'build.json'),
        runner: join(dir, 'runner.json'),
        result: join(dir, 'result.json'),
        log: join(dir, 'build.log'),
        runnerErr: join(dir, 'runner.err'),
        script: join(dir, 'build.sh'),
        app: join(dir, 'app'),
      };
    },
    template: (ref) => join(templates, `${safeName(ref, 'templateRef')}.json`),
    group: (name) => join(groups, `${safeName(name, 'server group')}.json`),
    route: (app) => join(routes, `${safeName(app, 'app')}.json`),
    instanceLog: (group, id) => join(logs, safeName(group, 'server group'), `${safeName(id, 'instance')}.log`),
    instanceExit: (group, id) => join(logs, safeName(group, 'server group'), `${safeName(id, 'instance')}.exit`),
    lock: (key) => join(locks, `${safeName(key, 'lock')}.lock`),
  };
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** Names become file names: refuse anything that could escape its directory. */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

export function safeName(name: string, what: string): string {
  if (!isSafeName(name)) {
    throw new InvalidNameError(
      `${what} "${name}" must be 1-200 letters, digits, ".", "_" or "-" and start with a letter or digit`,
    );
  }
  return name;
}

/** Plain Error (not AppError) so the detached builder does not load @paas/core. */
export class InvalidNameError extends Error {
  override name = 'InvalidNameError';
}

import { join, resolve } from 'node:path';

/**
 * Where the local provider keeps its state, like a cloud keeps its own. One
 * file per build, template, server group and route, so concurrent writers
 * (several jobs of a worker, several workers) never rewrite each other's files.
 * Platform files are the platform user's alone (0600/0700); an app's own tree
 * and home belong to the app's user, so apps cannot read each other or us.
 *
 *   images/<buildId>/build.json    the build request (immutable)
 *   images/<buildId>/runner.json   pid + start time of the detached builder
 *   images/<buildId>/result.json   outcome, written once
 *   images/<buildId>/build.log     capped build output
 *   images/<buildId>/runner.err    the builder's own crash output, if any
 *   images/<buildId>/app/          the image: the built tree (the app's user)
 *   image-index/<key>.json         (app, repository, commit, definition) → build, for reuse
 *   configs/<appId>/v<N>.json      config snapshots, sealed (encrypted)
 *   templates/<ref>.json           release templates
 *   groups/<ref>.json              server group desired state + instances
 *   routes/<appId>.json            hostnames, registered groups, the group serving
 *   logs/<group>/<instance>.log    process output (+ .exit with its exit status)
 *   metrics/<target>/<minute>.<writer>.json  the router's traffic counts (see metrics/traffic-files.ts)
 *   homes/<appId>/                 the app user's HOME (npm cache, tmp)
 *   users/<appId>.json             the unprivileged user an app runs as
 *   locks/<key>.lock               short-lived cross-process locks
 *   runtime/build-runner-<digest>.mjs  the builder, bundled (see builder/runner-bundle.ts)
 *   trash/<name>                   tombstones: what housekeeping is deleting (renamed here first, so a crash leaves no half image)
 *   housekeeping.json              when housekeeping last ran and what it reclaimed
 */
export interface Layout {
  root: string;
  images: string;
  imageIndex: string;
  configs: string;
  templates: string;
  groups: string;
  routes: string;
  logs: string;
  metrics: string;
  homes: string;
  users: string;
  locks: string;
  /** The platform's own scripts for processes it starts (the bundled builder). */
  runtime: string;
  /** Tombstones of images being deleted (see housekeeping/). */
  trash: string;
  /** The last housekeeping pass: when, and what it reclaimed. */
  housekeeping: string;
  image(buildId: string): ImageLayout;
  imageIndexEntry(key: string): string;
  config(appId: string, version: number): string;
  appConfigs(appId: string): string;
  template(templateRef: string): string;
  group(ref: string): string;
  route(appId: string): string;
  groupLogs(ref: string): string;
  instanceLog(group: string, instanceId: string): string;
  /** A traffic target's counts: a server group's ref, or an app's own (router answers). */
  metricsTarget(target: string): string;
  home(appId: string): string;
  user(appId: string): string;
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
  const dirs = {
    images: join(root, 'images'),
    imageIndex: join(root, 'image-index'),
    configs: join(root, 'configs'),
    templates: join(root, 'templates'),
    groups: join(root, 'groups'),
    routes: join(root, 'routes'),
    logs: join(root, 'logs'),
    metrics: join(root, 'metrics'),
    homes: join(root, 'homes'),
    users: join(root, 'users'),
    locks: join(root, 'locks'),
    runtime: join(root, 'runtime'),
    trash: join(root, 'trash'),
  };
  return {
    root,
    ...dirs,
    housekeeping: join(root, 'housekeeping.json'),
    image(buildId) {
      const dir = join(dirs.images, safeName(buildId, 'buildId'));
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
    imageIndexEntry: (key) => join(dirs.imageIndex, `${safeName(key, 'image key')}.json`),
    appConfigs: (appId) => join(dirs.configs, safeName(appId, 'app id')),
    config: (appId, version) => join(dirs.configs, safeName(appId, 'app id'), `v${Math.trunc(version)}.json`),
    template: (ref) => join(dirs.templates, `${safeName(ref, 'templateRef')}.json`),
    group: (ref) => join(dirs.groups, `${safeName(ref, 'server group')}.json`),
    route: (appId) => join(dirs.routes, `${safeName(appId, 'app id')}.json`),
    groupLogs: (ref) => join(dirs.logs, safeName(ref, 'server group')),
    instanceLog: (group, id) => join(dirs.logs, safeName(group, 'server group'), `${safeName(id, 'instance')}.log`),
    metricsTarget: (target) => join(dirs.metrics, safeName(target, 'metrics target')),
    home: (appId) => join(dirs.homes, safeName(appId, 'app id')),
    user: (appId) => join(dirs.users, `${safeName(appId, 'app id')}.json`),
    lock: (key) => join(dirs.locks, `${safeName(key, 'lock')}.lock`),
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

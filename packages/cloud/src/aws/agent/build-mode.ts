import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DetectionError, rootDirOf } from '@paas/buildpacks';
import { BuildFailure, buildSource, downloadArchive, runScript } from '../../build';
import { type BuildRequest, type BuildResult, buildRequestSchema } from '../images/builder-protocol';
import { APP_DIR } from './app-dir';
import { appUser } from './app-user';
import type { Instance } from './instance';
import { S3Log } from './s3-log';
import { readText, writeText } from './s3-text';

/**
 * The builder: reads what to build from the bucket, runs the build definition
 * into the app directory the image keeps, streams the log to the bucket and
 * writes result.json last (the platform reads the log as complete once the
 * result exists). The instance then waits to be imaged and terminated.
 */
export async function runBuild(instance: Instance, prefix: string): Promise<BuildResult> {
  const request = buildRequestSchema.parse(JSON.parse(await readText(instance, `${prefix}request.json`)));
  const archive = request.archiveUrl ? await readParameter(instance, request.gitCredentialsParameter) : null;
  const repoUrl = archive === null ? await withCredentials(instance, request) : request.repoUrl;
  const secrets =
    archive !== null ? [archive, archive.replace(/^\S+\s+/, '')] : repoUrl === request.repoUrl ? [] : secretsOf(repoUrl);
  const log = new S3Log({ s3: instance.s3, bucket: instance.bucket, key: `${prefix}log`, secrets });
  let result: BuildResult;
  try {
    log.line(`-----> Building ${request.app.name} from ${request.ref} (build ${request.buildId})`);
    // The app user builds (it cannot reach the instance role) into a directory it owns,
    // which the image keeps for the app; /opt/paas itself stays root's, but traversable.
    const user = appUser(instance);
    const appDir = instance.path(APP_DIR);
    const home = user ? user.home : instance.path('home/paas-app');
    await rm(appDir, { recursive: true, force: true });
    for (const dir of [dirname(appDir), appDir, home]) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, dir === home ? 0o700 : 0o755);
    }
    if (user) for (const dir of [appDir, home]) await chown(dir, user.uid, user.gid);
    // The agent (root, which the build's user is not) downloads the tarball; the build only unpacks it.
    const archivePath = instance.path('opt/paas/source.tar.gz');
    if (archive !== null && request.archiveUrl) {
      await downloadArchive(request.archiveUrl, archive, archivePath);
      if (user) await chown(archivePath, user.uid, user.gid);
    }
    await mkdir(instance.path('var/tmp'), { recursive: true });
    const buildCache = await mkdtemp(instance.path('var/tmp/paas-build-cache-'));
    if (user) await chown(buildCache, user.uid, user.gid);
    const outcome = await buildSource({
      repoUrl,
      ref: request.ref,
      ...(archive !== null ? { archivePath } : {}),
      rootDir: rootDirOf(request.definition),
      appDir,
      // A builder starts empty and is imaged afterwards: a dependency cache would only add a copy of
      // node_modules (or the virtualenv) to every image. It goes with the build.
      cacheDir: buildCache,
      log,
      // The user data's umask keeps its own files private; what the app runs from is readable.
      run: (script) => runScript(`umask 022\n${script}`, log, { cwd: home, env: buildEnv(home, user?.name), user }),
    });
    await rm(buildCache, { recursive: true, force: true });
    if (outcome.reused) throw new Error('a builder keeps no earlier images');
    result = { state: 'succeeded', commitSha: outcome.commitSha, processes: outcome.plan.processes, stack: outcome.plan.stack };
    log.line(`-----> Built ${outcome.commitSha.slice(0, 12)}; the platform makes the image now`);
  } catch (error) {
    const message =
      error instanceof BuildFailure || error instanceof DetectionError ? error.message : `Build crashed: ${String(error)}`;
    log.line(` !     ${message}`);
    result = { state: 'failed', error: message };
  }
  await log.close();
  await writeText(instance, `${prefix}result.json`, `${JSON.stringify(result)}\n`);
  return result;
}

/** The repository URL with the credential the platform left in Parameter Store, if any. */
async function withCredentials(instance: Instance, request: BuildRequest): Promise<string> {
  if (!request.gitCredentialsParameter) return request.repoUrl;
  const [user, ...rest] = (await readParameter(instance, request.gitCredentialsParameter)).split(':');
  const url = new URL(request.repoUrl);
  url.username = encodeURIComponent(user ?? '');
  url.password = encodeURIComponent(rest.join(':'));
  return url.toString();
}

async function readParameter(instance: Instance, name: string | null): Promise<string> {
  if (!name) throw new Error('the build request names no credential parameter');
  const out = await instance.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  return out.Parameter?.Value ?? '';
}

function secretsOf(repoUrl: string): string[] {
  const url = new URL(repoUrl);
  return [url.password, url.username, decodeURIComponent(url.password), decodeURIComponent(url.username)].filter((s) => s !== '');
}

/** The build's environment: the runtime the image keeps, and nothing of the instance's AWS settings. */
function buildEnv(home: string, user = 'paas-app'): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    USER: user,
    SHELL: '/bin/sh',
    PATH: [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
  };
  for (const name of ['LANG', 'TZ', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

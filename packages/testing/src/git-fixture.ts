import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BareRepo {
  /** file:// URL of the bare repository, usable as an app's repoUrl. */
  url: string;
  /** Path of the bare repository. */
  path: string;
  /** The working clone that `commit` commits in (a user's checkout: add remotes, push from here). */
  workDir: string;
  /** Replaces the whole tree with `files`, commits and pushes to `main`; returns the commit sha. */
  commit(files: Record<string, string>, message: string): Promise<string>;
  remove(): Promise<void>;
}

// Same result on every machine: no global or system git config, fixed identity.
const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'PaaS Test',
  GIT_AUTHOR_EMAIL: 'test@paas.invalid',
  GIT_COMMITTER_NAME: 'PaaS Test',
  GIT_COMMITTER_EMAIL: 'test@paas.invalid',
};

const git = async (cwd: string, ...args: string[]) =>
  (await run('git', args, { cwd, env: gitEnv, maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

/** A bare repository with a working clone beside it, pushed to with the real git CLI. */
export async function createBareRepo(dir?: string): Promise<BareRepo> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'paas-repo-')));
  // Builds run as the app's own user: the repository must be readable by others, like a mirror.
  await chmod(root, 0o755);
  const bare = join(root, 'repo.git');
  const work = join(root, 'work');
  await mkdir(bare, { recursive: true });
  await mkdir(work, { recursive: true });
  await git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
  await git(work, 'init', '--quiet', '--initial-branch=main');
  await git(work, 'config', 'user.name', 'PaaS Test');
  await git(work, 'config', 'user.email', 'test@paas.invalid');
  await git(work, 'config', 'commit.gpgsign', 'false');
  await git(work, 'remote', 'add', 'origin', bare);

  return {
    url: pathToFileURL(bare).href,
    path: bare,
    workDir: work,
    async commit(files, message) {
      for (const entry of await readdir(work)) {
        if (entry !== '.git') await rm(join(work, entry), { recursive: true, force: true });
      }
      for (const [name, contents] of Object.entries(files)) {
        await mkdir(dirname(join(work, name)), { recursive: true });
        await writeFile(join(work, name), contents);
      }
      await git(work, 'add', '--all');
      await git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
      await git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
      return git(work, 'rev-parse', 'HEAD');
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

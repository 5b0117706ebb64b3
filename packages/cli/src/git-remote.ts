import { spawnSync } from 'node:child_process';

// Inside a checkout, the app is the one its `paas` git remote pushes to:
// `<platform>/git/<app>.git`, as `git remote add paas …` set it up.

/** `https://paas.example.com/git/my-app.git` → `my-app`; null when the URL is not an app's repository. */
export function appFromRemoteUrl(url: string): string | null {
  let path = url.trim();
  try {
    path = new URL(path).pathname;
  } catch {
    // scp-like `host:path` or a plain path: the part after the last `/git/` still names the app.
  }
  const match = /\/git\/([^/]+?)(?:\.git)?\/?$/.exec(path);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** The URL of the `paas` remote of the git checkout at `cwd`, or null (no git, no checkout, no such remote). */
export function paasRemoteUrl(cwd: string = process.cwd()): string | null {
  const result = spawnSync('git', ['remote', 'get-url', 'paas'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    timeout: 5_000,
  });
  if (result.error || result.status !== 0) return null;
  const url = result.stdout.trim();
  return url === '' ? null : url;
}

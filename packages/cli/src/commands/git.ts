import { spawnSync } from 'node:child_process';
import { seg } from '../api.js';
import type { Command } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { sanitizeLine } from '../output.js';

// `git push paas main` needs two things in a checkout: a remote that points at
// the app's repository on the platform, and a way for git to authenticate. The
// token never goes into the remote's URL (it would sit in .git/config): git
// asks this CLI for it, as a credential helper, for this platform only.

function git(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return { status: r.status ?? 1, stdout: (r.stdout ?? '').trim(), stderr: (r.stderr ?? '').trim() };
}

/** How git runs this very CLI (an absolute path: it need not be on PATH). */
function selfCommand(): string {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  return `!${quote(process.execPath)} ${quote(process.argv[1] ?? 'paas')} git:credential`;
}

export const gitRemote: Command = {
  name: 'git:remote',
  summary: 'make this checkout push to the app: `git push paas main` then deploys',
  usage: 'paas git:remote -a APP [-r REMOTE]',
  description:
    'Adds (or points) the git remote REMOTE (default paas) at the app, and has git ask this CLI for your token when it talks to the platform.',
  examples: ['paas git:remote -a my-app', 'git push paas main'],
  options: ['app', 'remote'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const app = ctx.app();
    // The app must exist and be yours before a remote points at it.
    await ctx.api().get(`/api/v1/apps/${seg(app)}`);
    const cwd = process.cwd();
    if (git(['rev-parse', '--git-dir'], cwd).status !== 0) throw usageError('this is not a git checkout: run it inside one');
    const name = ctx.options.remote ?? 'paas';
    const url = `${ctx.apiUrl}/git/${seg(app)}.git`;
    const exists = git(['remote', 'get-url', name], cwd).status === 0;
    const set = git(['remote', exists ? 'set-url' : 'add', name, url], cwd);
    if (set.status !== 0) throw usageError(`git could not set the remote: ${set.stderr}`);
    const helper = git(['config', '--local', '--replace-all', `credential.${ctx.apiUrl}.helper`, selfCommand()], cwd);
    if (helper.status !== 0) throw usageError(`git could not set the credential helper: ${helper.stderr}`);
    ctx.out.result({ app, remote: name, url }, () => {
      ctx.out.line(`Git remote ${sanitizeLine(name)} → ${sanitizeLine(url)}`);
      ctx.out.line(`Deploy with: git push ${sanitizeLine(name)} main`);
    });
    return EXIT.ok;
  },
};

/** Git's credential-helper protocol: `get` reads key=value lines, answers username and password. */
export const gitCredential: Command = {
  name: 'git:credential',
  summary: 'the credential helper git calls (set up by git:remote); not for people',
  usage: 'paas git:credential get|store|erase',
  examples: ['git config credential.https://paas.example.com.helper "!paas git:credential"'],
  options: [],
  args: { min: 1, max: 1 },
  async run(ctx) {
    if (ctx.args[0] !== 'get') return EXIT.ok;
    const input = await new Promise<string>((resolve) => {
      let text = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c: string) => {
        text += c;
      });
      process.stdin.on('end', () => resolve(text));
    });
    const asked = Object.fromEntries(
      input
        .split('\n')
        .map((l) => l.split('='))
        .filter((kv) => kv.length >= 2)
        .map(([k, ...v]) => [k, v.join('=')]),
    );
    // Only for the platform the token was made on: never hand it to another host.
    const origin = new URL(ctx.apiUrl);
    if (asked.protocol !== origin.protocol.slice(0, -1) || asked.host !== origin.host) return EXIT.ok;
    const token = ctx.env.PAAS_TOKEN?.trim() || (ctx.stored && ctx.stored.apiUrl === ctx.apiUrl ? ctx.stored.token : undefined);
    if (!token) return EXIT.ok;
    process.stdout.write(`username=paas\npassword=${token}\n`);
    return EXIT.ok;
  },
};

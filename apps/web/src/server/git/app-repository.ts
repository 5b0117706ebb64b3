import 'server-only';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appRepositoryPath as repositoryPath } from '@paas/core';
import { webContext } from '../context';

/**
 * The app's own bare repository, where `git push` lands: named by the app's id
 * (a new app reusing a name starts empty), inside the platform's data directory.
 */
export function appRepositoryPath(appId: string): string {
  return repositoryPath(webContext().env.PAAS_DATA_DIR, appId);
}

export async function ensureAppRepository(appId: string): Promise<string> {
  const path = appRepositoryPath(appId);
  if (existsSync(join(path, 'HEAD'))) return path;
  await mkdir(join(webContext().env.PAAS_DATA_DIR, 'git'), { recursive: true, mode: 0o700 });
  const { code, stderr } = await runGit(['init', '--bare', '--quiet', '--initial-branch=main', path]);
  if (code !== 0) throw new Error(`git init failed: ${stderr.toString()}`);
  return path;
}

/** Runs git with `input` on stdin; collects stdout and stderr. Never through a shell. */
export function runGit(
  args: string[],
  input?: Buffer,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      // No user or system config, no prompts: the platform's git behaves the same everywhere.
      env: {
        NODE_ENV: process.env.NODE_ENV,
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        ...env,
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stack } from './build-plan';

/** What a process may use, as the platform sized it. */
export interface ProcessResources {
  memoryMb: number;
  cpus: number;
}

/** Where a build records its stack in the image (relative to the app directory). */
export const STACK_FILE = '.paas/stack';

const STACKS: readonly Stack[] = ['node', 'python', 'go', 'static'];

/**
 * The stack an image was built as, from the file its build wrote. Images built
 * before builds wrote it are all Node.js images.
 */
export async function readImageStack(imageDir: string): Promise<Stack> {
  let text: string;
  try {
    text = await readFile(join(imageDir, STACK_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'node';
    throw error;
  }
  const stack = text.trim() as Stack;
  if (!STACKS.includes(stack)) throw new Error(`${STACK_FILE} names an unknown stack: ${JSON.stringify(text.trim())}`);
  return stack;
}

/** Directories of the image to put first on PATH, so a Procfile's commands find the app's own tools. */
export function runtimePath(stack: Stack, imageDir: string): string[] {
  switch (stack) {
    case 'python':
      return [join(imageDir, '.venv', 'bin')];
    case 'go':
      return [join(imageDir, 'bin')];
    default:
      return [join(imageDir, 'node_modules', '.bin')];
  }
}

/**
 * Defaults every process of an image starts with (besides PATH, see
 * runtimePath); the app's config vars override them. Every stack learns its
 * instance's memory and CPUs (WEB_CONCURRENCY is read by gunicorn and by
 * Node's cluster setups alike).
 */
export function runtimeEnv(stack: Stack, imageDir: string, resources: ProcessResources): Record<string, string> {
  const sized = {
    MEMORY_AVAILABLE: String(resources.memoryMb),
    WEB_MEMORY: String(resources.memoryMb),
    WEB_CONCURRENCY: String(resources.cpus),
  };
  switch (stack) {
    case 'python':
      // What activating the virtualenv would do; unbuffered so log lines arrive when written.
      return { ...sized, VIRTUAL_ENV: join(imageDir, '.venv'), PYTHONUNBUFFERED: '1' };
    case 'go':
      return sized;
    default:
      // Static sites are served by node too.
      return nodeRuntimeEnv(resources);
  }
}

/**
 * Defaults every process of a Node image starts with; the app's config vars
 * override them. Like Heroku's Node buildpack, the heap is fitted to the
 * instance's memory and WEB_CONCURRENCY to its CPUs.
 */
export function nodeRuntimeEnv(resources: ProcessResources): Record<string, string> {
  return {
    NODE_ENV: 'production',
    MEMORY_AVAILABLE: String(resources.memoryMb),
    WEB_MEMORY: String(resources.memoryMb),
    WEB_CONCURRENCY: String(resources.cpus),
    NODE_OPTIONS: `--max-old-space-size=${Math.floor(resources.memoryMb * 0.75)}`,
    // `npm start` would otherwise ask the registry for a newer npm at every start, and log about it.
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  };
}

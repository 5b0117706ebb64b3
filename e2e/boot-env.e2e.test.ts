import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, startRedisServer } from '@paas/testing';
import { describe, expect, it } from 'vitest';

// Each process validates its environment at boot and names what is wrong.
function boot(service: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/platform.mjs'), 'service', service], {
      cwd: REPO_ROOT,
      // The tests' own dashboard build: booting must never rebuild the one a running platform serves.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: '0',
        PAAS_WEB_DIST_DIR: process.env.PAAS_WEB_DIST_DIR ?? '.next-test',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const bad = {
  DATABASE_URL: 'mysql://nope',
  PAAS_ADMIN_TOKEN: 'short',
  PAAS_SECRET_KEY: 'not-hex',
  GITHUB_WEBHOOK_SECRET: 'tiny',
  PAAS_DATA_DIR: 'relative/path',
  PAAS_ROUTER_PORT: 'eighty',
  PAAS_WEBHOOK_PORT: '99999',
};

describe('env validation at boot', () => {
  it.each([
    ['web', ['DATABASE_URL', 'PAAS_ADMIN_TOKEN', 'PAAS_SECRET_KEY', 'PAAS_DATA_DIR'], 'web app'],
    ['webhooks', ['DATABASE_URL', 'PAAS_SECRET_KEY', 'GITHUB_WEBHOOK_SECRET', 'PAAS_WEBHOOK_PORT'], 'webhook receiver'],
    ['worker', ['DATABASE_URL', 'PAAS_SECRET_KEY', 'PAAS_DATA_DIR'], 'worker'],
    ['router', ['PAAS_DATA_DIR', 'PAAS_ROUTER_PORT'], 'router'],
  ])('the %s refuses to start and names every bad variable', async (service, variables, name) => {
    const { code, output } = await boot(service, bad);
    expect(code).not.toBe(0);
    expect(output).toContain(`Invalid environment for the ${name}`);
    for (const variable of variables) expect(output).toContain(`${variable}: `);
    // Values are never echoed back: they may be secrets.
    expect(output).not.toContain('not-hex');
  });

  it('the worker refuses to start on a Redis that evicts keys, and says how to set it', async () => {
    const redis = await startRedisServer();
    try {
      await promisify(execFile)('redis-cli', ['-u', redis.url, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru']);
      const { code, output } = await boot('worker', {
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
        REDIS_URL: redis.url,
        PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
        PAAS_ADMIN_TOKEN: randomBytes(24).toString('hex'),
        GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
        PAAS_DATA_DIR: join(tmpdir(), 'paas-boot-env-unused'),
        PORT: '3000',
      });
      expect(code).not.toBe(0);
      expect(output).toContain('evicts keys under memory pressure (maxmemory-policy allkeys-lru)');
      expect(output).toContain('CONFIG SET maxmemory-policy noeviction');
      expect(output).not.toContain('worker started');
    } finally {
      await redis.stop();
    }
  });
});

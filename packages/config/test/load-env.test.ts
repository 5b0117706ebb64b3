import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, routerEnvSchema, workerEnvSchema } from '../src';

const good = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/paas',
  PAAS_DATA_DIR: '/var/lib/paas',
  PAAS_SECRET_KEY: 'a'.repeat(64),
};

describe('env validation', () => {
  it('applies defaults', () => {
    const env = loadEnv('worker', workerEnvSchema, good);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PAAS_CLOUD).toBe('local');
    expect(env.PAAS_WORKER_CONCURRENCY).toBe(4);
  });

  it('names each missing or bad variable, and the process', () => {
    try {
      loadEnv('worker', workerEnvSchema, { ...good, DATABASE_URL: undefined, PAAS_DATA_DIR: 'relative/dir', PAAS_CLOUD: 'gcp' });
      throw new Error('expected EnvError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const message = (error as Error).message;
      expect(message).toContain('Invalid environment for the worker');
      expect(message).toMatch(/DATABASE_URL: is required/);
      expect(message).toMatch(/PAAS_DATA_DIR: must be an absolute path/);
      expect(message).toMatch(/PAAS_CLOUD: /);
    }
  });

  it('treats empty strings as unset', () => {
    expect(() => loadEnv('worker', workerEnvSchema, { ...good, PAAS_SECRET_KEY: '' })).toThrow(/PAAS_SECRET_KEY: is required/);
  });
});

describe('the defaults the README states', () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
  /** The first code span of the default column of the README's environment table row for `name`. */
  const documented = (name: string) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
    return row?.split('|')[3]?.match(/`([^`]+)`/)?.[1];
  };

  it('binds the router where the README says: every interface, so a server’s apps are reachable', () => {
    const env = loadEnv('router', routerEnvSchema, { PAAS_DATA_DIR: '/var/lib/paas' });
    expect(env.PAAS_ROUTER_HOST).toBe('0.0.0.0');
    expect(documented('PAAS_ROUTER_HOST')).toBe(env.PAAS_ROUTER_HOST);
  });
});

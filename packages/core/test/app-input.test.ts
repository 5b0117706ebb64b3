import { describe, expect, it } from 'vitest';
import { createAppInputSchema, parseInput } from '../src/apps/app-input';
import { AppError } from '../src/errors';

const valid = { name: 'my-app', repoUrl: 'https://github.com/acme/shop.git', branch: 'main' };

function reason(input: unknown): string {
  try {
    parseInput(createAppInputSchema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return (error as AppError).message;
  }
  throw new Error('expected a validation error');
}

describe('app input', () => {
  it('accepts a DNS-safe name, a clone URL and a branch', () => {
    expect(parseInput(createAppInputSchema, valid)).toEqual(valid);
    expect(parseInput(createAppInputSchema, { ...valid, repoUrl: 'git@github.com:acme/shop.git' }).repoUrl).toBe(
      'git@github.com:acme/shop.git',
    );
    expect(parseInput(createAppInputSchema, { ...valid, repoUrl: '/srv/git/shop.git' }).repoUrl).toBe('/srv/git/shop.git');
  });

  it('defaults the branch to main', () => {
    expect(parseInput(createAppInputSchema, { name: 'shop', repoUrl: valid.repoUrl }).branch).toBe('main');
  });

  it.each([
    ['My-App', 'lowercase'],
    ['-app', 'start with a letter'],
    ['app-', 'not ending in a hyphen'],
    ['a--b', 'consecutive hyphens'],
    ['app_1', 'lowercase letters, digits and single hyphens'],
    ['a', 'at least 2'],
    ['x'.repeat(31), 'at most 30'],
  ])('rejects the name %j with a reason', (name, expected) => {
    expect(reason({ ...valid, name })).toContain(expected);
  });

  it('names every bad field', () => {
    const message = reason({ name: 'Bad Name', repoUrl: 'not a url', branch: 'a..b' });
    expect(message).toMatch(/name: /);
    expect(message).toMatch(/repoUrl: /);
    expect(message).toMatch(/branch: /);
  });

  it('keeps a problem with the whole input apart from the fields', () => {
    try {
      parseInput(createAppInputSchema, 'my-app');
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).message).toMatch(/^Invalid input/);
      expect((error as AppError).details).toEqual({ fields: {}, message: (error as AppError).message });
    }
    try {
      parseInput(createAppInputSchema, { ...valid, name: 'A' });
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).details).toEqual({ fields: { name: expect.any(String) } });
    }
  });

  it('requires the name', () => {
    expect(reason({ repoUrl: valid.repoUrl })).toMatch(/name: name is required/);
  });

  it('refuses a repoUrl with credentials in it, and accepts an ssh user', () => {
    for (const repoUrl of [
      'https://user:secret@github.com/acme/shop.git',
      'https://ghp_token@github.com/acme/shop.git',
      'ssh://git:pw@host/repo.git',
    ]) {
      expect(() => parseInput(createAppInputSchema, { ...valid, repoUrl }), repoUrl).toThrow(/must not contain credentials/);
    }
    expect(parseInput(createAppInputSchema, { ...valid, repoUrl: 'ssh://git@host/repo.git' }).repoUrl).toBe(
      'ssh://git@host/repo.git',
    );
  });
});

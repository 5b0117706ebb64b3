import { describe, expect, it } from 'vitest';
import { canonicalRepoUrl, repoUrlCandidates } from '../src/apps/repo-url';

describe('repository URL matching', () => {
  it('reduces every spelling GitHub uses to one key', () => {
    const key = 'github.com/acme/shop';
    for (const url of [
      'https://github.com/acme/shop.git',
      'https://github.com/Acme/Shop',
      'git@github.com:acme/shop.git',
      'ssh://git@github.com/acme/shop.git',
      'git://github.com/acme/shop.git',
      'https://github.com/acme/shop/',
    ]) {
      expect(canonicalRepoUrl(url)).toBe(key);
    }
  });

  it('keeps local paths case-sensitive and strips file://', () => {
    expect(canonicalRepoUrl('file:///tmp/Repos/app.git')).toBe('/tmp/Repos/app');
    expect(canonicalRepoUrl('/tmp/Repos/app.git')).toBe('/tmp/Repos/app');
  });

  it('collects candidates from a push payload repository', () => {
    expect(
      repoUrlCandidates({
        clone_url: 'https://github.com/acme/shop.git',
        ssh_url: 'git@github.com:acme/shop.git',
        html_url: 'https://github.com/acme/shop',
        name: 'shop',
      }),
    ).toEqual(['github.com/acme/shop']);
  });
});

import { describe, expect, it } from 'vitest';
import { hostOf } from '../src/local/router/route-table';
import { restartBackoffMs } from '../src/local/supervisor/converge-server-group';

describe('hostOf', () => {
  it.each([
    ['shop.localhost', 'shop.localhost'],
    ['Shop.LocalHost:8080', 'shop.localhost'],
    ['shop.example.com.', 'shop.example.com'],
    ['[::1]:8080', '[::1]'],
    [undefined, ''],
  ])('%s -> %s', (header, host) => {
    expect(hostOf(header)).toBe(host);
  });
});

describe('restartBackoffMs', () => {
  it('restarts a first crash at once, then doubles up to five minutes', () => {
    expect([0, 1, 2, 3, 20].map(restartBackoffMs)).toEqual([0, 2_000, 4_000, 8_000, 300_000]);
  });
});

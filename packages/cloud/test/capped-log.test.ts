import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CappedLog } from '../src/local/builder/capped-log';

describe('CappedLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paas-log-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the head and the tail of a long log and says how much it dropped', async () => {
    const log = new CappedLog(join(dir, 'build.log'), { headBytes: 100, tailBytes: 50 });
    for (let i = 0; i < 100; i++) log.line(`line ${String(i).padStart(3, '0')}`);
    log.close();
    const text = await readFile(join(dir, 'build.log'), 'utf8');
    expect(text.startsWith('line 000\n')).toBe(true);
    expect(text.endsWith('line 099\n')).toBe(true);
    expect(text).toMatch(/\[\d+ bytes of build output omitted\]/);
    expect(text.length).toBeLessThan(250);
  });

  it('redacts secrets even when they arrive split across writes', async () => {
    const log = new CappedLog(join(dir, 'build.log'), { secrets: ['ghs_token123'] });
    log.write('fatal: could not read https://x:ghs_tok');
    log.write('en123@github.com/acme/shop\n');
    log.write('no newline at the end ghs_token123');
    log.close();
    const text = await readFile(join(dir, 'build.log'), 'utf8');
    expect(text).not.toContain('ghs_token123');
    expect(text).toBe('fatal: could not read https://x:***@github.com/acme/shop\nno newline at the end ***\n');
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeApiUrl } from '../src/api.js';
import { ensureOptions, parseCommandLine, parseScale, parseVersion, splitAssignment } from '../src/args.js';
import { findCommand, suggest } from '../src/commands/index.js';
import { CliError, EXIT, exitCodeForStatus } from '../src/errors.js';
import { appFromRemoteUrl } from '../src/git-remote.js';
import { sanitizeLine, sanitizeText } from '../src/sanitize.js';
import { keyValues, table } from '../src/table.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof CliError ? error.exitCode : 'not a CliError';
  }
  return 'no error';
};

describe('command line', () => {
  it('takes options before or after the command', () => {
    expect(parseCommandLine(['-a', 'web', 'ps', '--json'])).toMatchObject({
      command: 'ps',
      args: [],
      options: { app: 'web', json: true },
    });
    expect(parseCommandLine(['ps:scale', 'web=2', 'worker=1', '--app=api'])).toMatchObject({
      command: 'ps:scale',
      args: ['web=2', 'worker=1'],
      options: { app: 'api' },
      given: ['app'],
    });
  });

  it('refuses unknown options and options a command does not take (exit 2)', () => {
    expect(usage(() => parseCommandLine(['apps', '--nope']))).toBe(EXIT.usage);
    expect(usage(() => ensureOptions('apps', ['confirm'], []))).toBe(EXIT.usage);
    expect(usage(() => ensureOptions('apps', ['json', 'api', 'help'], []))).toBe('no error');
  });

  it('reads scale, versions and assignments', () => {
    expect(parseScale('web=3')).toEqual({ type: 'web', quantity: 3 });
    expect(parseScale('web=-1')).toEqual({ type: 'web', quantity: -1 });
    expect(parseScale('web=2:large')).toEqual({ type: 'web', quantity: 2, size: 'large' });
    expect(parseScale('worker=medium')).toEqual({ type: 'worker', size: 'medium' });
    expect(usage(() => parseScale('web'))).toBe(EXIT.usage);
    expect(usage(() => parseScale('web='))).toBe(EXIT.usage);
    expect(parseVersion('v12')).toBe(12);
    expect(parseVersion('3')).toBe(3);
    expect(usage(() => parseVersion('latest'))).toBe(EXIT.usage);
    expect(splitAssignment('A=b=c', 'KEY=VALUE')).toEqual(['A', 'b=c']);
    expect(splitAssignment('EMPTY=', 'KEY=VALUE')).toEqual(['EMPTY', '']);
    expect(usage(() => splitAssignment('=x', 'KEY=VALUE'))).toBe(EXIT.usage);
  });

  it('finds commands by name and alias, and suggests close ones', () => {
    expect(findCommand('apps:list')?.name).toBe('apps');
    expect(findCommand('scale')?.name).toBe('ps:scale');
    expect(suggest('relases')).toContain('releases');
    expect(suggest('config:st')).toContain('config:set');
  });
});

describe('exit codes', () => {
  it('map HTTP statuses', () => {
    expect([401, 403, 404, 409, 413, 422, 429, 500, 503].map(exitCodeForStatus)).toEqual([3, 4, 5, 6, 6, 6, 7, 1, 1]);
  });
});

describe('API URL and git remote', () => {
  it('normalizes the API URL and refuses what is not http(s)', () => {
    expect(normalizeApiUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(normalizeApiUrl('https://paas.example.com/prefix/')).toBe('https://paas.example.com/prefix');
    expect(usage(() => normalizeApiUrl('ftp://x'))).toBe(EXIT.usage);
    expect(usage(() => normalizeApiUrl('https://u:p@x'))).toBe(EXIT.usage);
  });

  it('reads the app from a `paas` remote URL', () => {
    expect(appFromRemoteUrl('https://paas.example.com/git/my-app.git')).toBe('my-app');
    expect(appFromRemoteUrl('http://x:paas_secret@127.0.0.1:3000/git/api')).toBe('api');
    expect(appFromRemoteUrl('https://github.com/acme/app.git')).toBeNull();
  });
});

describe('output for people', () => {
  it('escapes terminal control sequences, keeps ordinary text', () => {
    expect(sanitizeLine('\u001b]0;pwned\u0007red\u001b[31m')).toBe('\\x1b]0;pwned\\x07red\\x1b[31m');
    expect(sanitizeLine('a\nb\u009bc\u202ed')).toBe('a\\x0ab\\x9bc\\u202ed');
    expect(sanitizeLine('héllo ✓ 日本')).toBe('héllo ✓ 日本');
    expect(sanitizeText('line 1\r\nline\t2\n\u001b[2J')).toBe('line 1\nline\t2\n\\x1b[2J');
  });

  it('aligns tables and key/value lists', () => {
    expect(
      table(
        [
          { n: 'web', q: 2 },
          { n: 'worker', q: 10 },
        ],
        [
          { header: 'type', value: (r) => r.n },
          { header: 'quantity', value: (r) => r.q },
        ],
      ),
    ).toBe('TYPE    QUANTITY\nweb     2\nworker  10');
    expect(
      keyValues([
        ['A', '1'],
        ['LONGER', '\u001b[31m'],
      ]),
    ).toBe('A:      1\nLONGER: \\x1b[31m');
  });
});

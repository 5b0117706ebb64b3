import { describe, expect, it } from 'vitest';
import { checkDisk, DISK_FAIL_BYTES, DISK_WARN_BYTES, diskStatus, worstStatus } from '../src/doctor/index';

const GiB = 1024 ** 3;

describe('doctor: disk thresholds', () => {
  it('fails under 1 GiB free, warns under 5 GiB or 10 %, else ok', () => {
    expect(diskStatus({ free: DISK_FAIL_BYTES - 1, total: 1000 * GiB })).toBe('fail');
    expect(diskStatus({ free: DISK_FAIL_BYTES, total: 2 * GiB })).toBe('warn');
    expect(diskStatus({ free: DISK_WARN_BYTES - 1, total: 20 * GiB })).toBe('warn');
    // Plenty of bytes, but under 10 % of a large disk.
    expect(diskStatus({ free: 90 * GiB, total: 1000 * GiB })).toBe('warn');
    expect(diskStatus({ free: 100 * GiB, total: 1000 * GiB })).toBe('ok');
    expect(diskStatus({ free: DISK_WARN_BYTES, total: 10 * GiB })).toBe('ok');
  });

  it('says what uses the space when it runs low', async () => {
    const check = await checkDisk({
      dataDir: '/data',
      disk: {
        space: async () => ({ free: 0.5 * GiB, total: 100 * GiB }),
        usage: async () => [
          { name: 'images', bytes: 80 * GiB },
          { name: 'logs', bytes: 12 * GiB },
        ],
      },
    });
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('images 80.0 GiB, logs 12.0 GiB');
    expect(check.fix).toContain('PAAS_DATA_DIR');
  });

  it('the report is as bad as its worst check', () => {
    expect(worstStatus([{ status: 'ok' }, { status: 'warn' }])).toBe('warn');
    expect(worstStatus([{ status: 'warn' }, { status: 'fail' }, { status: 'ok' }])).toBe('fail');
    expect(worstStatus([{ status: 'ok' }])).toBe('ok');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCloudProviderContract } from '@paas/testing';
import { createLocalProvider, removeLocalData } from '../src/index';

describeCloudProviderContract('local', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paas-local-contract-'));
  return {
    provider: createLocalProvider({ dataDir, healthTimeoutMs: 20_000, stopGraceMs: 3_000, configKey: randomBytes(32) }),
    cleanup: () => removeLocalData(dataDir),
  };
});

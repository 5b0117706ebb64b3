import { updateAppSettings } from '@paas/core';
import { type BareRepo, sampleAppFiles } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

const HEALTH_TIMEOUT_MS = 8_000;

// Releases that start but never become healthy, and one that is merely slow:
// the deploy fails with what went wrong (or succeeds), the release before
// keeps serving, and nothing of the failed one is left running.
describe('deployment engine: releases that are not healthy', () => {
  let engine: Engine;
  let repo: BareRepo;

  const procfile = (command: string) => sampleAppFiles({ text: 'not served', files: { Procfile: `web: ${command}\n` } });

  /** The states of the server groups of the deployment's release: a failed one leaves none running. */
  async function groupsOf(deploymentId: string): Promise<string[]> {
    const d = await engine.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    const groups = await engine.db.serverGroup.findMany({ where: { releaseId: d.releaseId ?? '' } });
    return groups.map((g) => g.status);
  }

  beforeAll(async () => {
    engine = await startEngine({ healthTimeoutMs: HEALTH_TIMEOUT_MS });
    repo = await engine.newApp('fragile');
    engine.startWorker();
    const d = await engine.settled(await engine.push(repo, await repo.commit(sampleAppFiles({ text: 'stable' }), 'stable')));
    expect(d.state, d.error ?? '').toBe('succeeded');
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('fails a release that listens on another port than $PORT, saying which port it was asked to answer on', async () => {
    const wrongPort = procfile(
      // Port 0: a port the kernel picks, never $PORT and never one in use (PORT + 1 could be, on a busy machine).
      `node -e "require('node:http').createServer((q, s) => s.end('elsewhere')).listen(0)"`,
    );
    const d = await engine.settled(await engine.push(repo, await repo.commit(wrongPort, 'wrong port')));
    expect(d).toMatchObject({ state: 'failed', errorCode: 'health_check_failed', step: 'await_healthy' });
    expect(d.error).toMatch(/does not answer \/ on port \d+/);
    expect(await engine.serving('fragile')).toBe('stable');
    expect(await groupsOf(d.id)).toEqual(['destroyed']);
  });

  it('waits for a release that takes a few seconds to boot, within the health timeout', async () => {
    const slow = sampleAppFiles({ text: 'slow to boot', files: { Procfile: 'web: sleep 3 && node server.js\n' } });
    const d = await engine.settled(await engine.push(repo, await repo.commit(slow, 'slow boot')));
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await engine.serving('fragile')).toBe('slow to boot');
  });

  it('fails a release whose health check path answers 500, and the release before keeps serving', async () => {
    await updateAppSettings(engine.ctx, 'fragile', { healthCheck: { path: '/__status/500' } }, admin);
    try {
      const files = sampleAppFiles({ text: 'unhealthy' });
      const d = await engine.settled(await engine.push(repo, await repo.commit(files, 'failing health path')));
      expect(d).toMatchObject({ state: 'failed', errorCode: 'health_check_failed', step: 'await_healthy' });
      expect(d.error).toMatch(/does not answer \/__status\/500/);
      expect(await engine.serving('fragile')).toBe('slow to boot');
      expect(await groupsOf(d.id)).toEqual(['destroyed']);
    } finally {
      await updateAppSettings(engine.ctx, 'fragile', { healthCheck: null }, admin);
    }
  });
});

import { addDomain, listDomains, removeDomain } from '@paas/core';
import { type BareRepo, sampleAppFiles, waitUntil } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Custom domains on the local provider: no certificate to wait for, so a
// domain is served as soon as its reconciler runs; removing takes it off again.
describe('custom domains on the local provider', () => {
  let engine: Engine;
  let repo: BareRepo;

  beforeAll(async () => {
    engine = await startEngine();
    repo = await engine.newApp('dom');
    engine.startWorker();
    const sha = await repo.commit(sampleAppFiles({ text: 'dom' }), 'dom');
    expect((await engine.settled(await engine.push(repo, sha))).state).toBe('succeeded');
  }, 90_000);

  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  it('adds a domain to the app’s route, lists it, and removes it', async () => {
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'dom' } });
    const cloud = await engine.providerOf('dom');
    await addDomain({ ...engine.ctx, baseDomain: 'localhost' }, 'dom', { hostname: 'dom.example.net' }, admin);
    await waitUntil(
      'the domain to be served',
      async () => (await listDomains(engine.ctx, 'dom'))[0]?.status === 'active',
      20_000,
      100,
    );
    expect((await cloud.describeTraffic({ id: app.id, name: app.name }))?.hostnames).toEqual([
      'dom.localhost',
      'dom.example.net',
    ]);

    await removeDomain(engine.ctx, 'dom', 'dom.example.net', admin);
    await waitUntil('the domain to be removed', async () => (await listDomains(engine.ctx, 'dom')).length === 0, 20_000, 100);
    expect((await cloud.describeTraffic({ id: app.id, name: app.name }))?.hostnames).toEqual(['dom.localhost']);
    expect(await engine.db.certificate.count()).toBe(0);
    await expect(removeDomain(engine.ctx, 'dom', 'dom.example.net', admin)).rejects.toMatchObject({ code: 'not_found' });
  }, 60_000);
});

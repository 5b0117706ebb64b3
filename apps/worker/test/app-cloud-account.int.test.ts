import { getApp, updateAppSettings, updateFormation } from '@paas/core';
import { sampleAppFiles } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// The cloud account an app runs in is a setting until the app has anything
// there (a build's image, instances, a certificate); after, moving is refused
// with what to do instead, and nothing changes.
describe('an app moves between cloud accounts only before its first build', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({});
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('moves a new app, then refuses once it has been built', async () => {
    const repo = await engine.newApp('mover');
    const app = await engine.db.app.findUniqueOrThrow({ where: { name: 'mover' }, include: { cloudAccount: true } });
    const home = app.cloudAccount.name;
    await engine.db.cloudAccount.create({
      data: {
        teamId: app.teamId,
        name: 'checked',
        provider: 'aws',
        region: 'eu-west-1',
        authMethod: 'instance_profile',
        settings: { baseDomain: 'apps.example.com', sizes: ['small', 'medium'] },
        verifiedAt: new Date(),
      },
    });
    await engine.db.cloudAccount.create({
      data: {
        teamId: app.teamId,
        name: 'unchecked',
        provider: 'aws',
        region: 'eu-west-1',
        authMethod: 'instance_profile',
        settings: { baseDomain: 'apps.example.com' },
      },
    });

    await expect(updateAppSettings(engine.ctx, 'mover', { cloudAccount: 'unchecked' }, admin)).rejects.toThrow(
      /not verified yet/,
    );
    expect(await updateAppSettings(engine.ctx, 'mover', { cloudAccount: 'checked' }, admin)).toMatchObject({
      cloudAccount: 'checked',
    });
    expect((await getApp(engine.ctx, 'mover')).cloudAccount).toBe('checked');
    // A size the account does not offer is refused with the ones it does, and nothing changes.
    const web = await engine.db.processType.findFirstOrThrow({ where: { appId: app.id, type: 'web' } });
    await expect(updateFormation(engine.ctx, 'mover', 'web', { size: 'xlarge' }, admin)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/does not offer size xlarge: choose small, medium/),
    });
    expect(await engine.db.processType.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({ instanceSize: 'small' });
    const audit = await engine.db.auditEvent.findFirstOrThrow({ where: { action: 'app.settings', appName: 'mover' } });
    expect(JSON.stringify(audit.data)).toContain('"cloudAccount":"checked"');
    expect(await updateAppSettings(engine.ctx, 'mover', { cloudAccount: home }, admin)).toMatchObject({ cloudAccount: home });

    engine.startWorker();
    const sha = await repo.commit(sampleAppFiles({ text: 'mover' }), 'first');
    const d = await engine.settled(await engine.push(repo, sha));
    expect(d.state, d.error ?? '').toBe('succeeded');
    await expect(updateAppSettings(engine.ctx, 'mover', { cloudAccount: 'checked' }, admin)).rejects.toThrow(
      /only before its first build/,
    );
    expect((await getApp(engine.ctx, 'mover')).cloudAccount).toBe(home);
  });
});

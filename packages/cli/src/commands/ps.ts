import { seg } from '../api.js';
import { parseScale } from '../args.js';
import type { Command } from '../context.js';
import { EXIT } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { table } from '../table.js';
import type { AppDetail } from './apps.js';

export const ps: Command = {
  name: 'ps',
  summary: "an app's formation (process types, quantities, sizes) and the instances running",
  usage: 'paas ps [-a APP]',
  examples: ['paas ps -a my-app'],
  options: ['app'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const name = ctx.app();
    const { app } = await ctx.api().get<{ app: AppDetail }>(`/api/v1/apps/${seg(name)}`);
    const doc = { app: app.name, activeRelease: app.activeRelease, formation: app.formation, instances: app.instances };
    ctx.out.result(doc, () => {
      if (app.formation.length === 0) {
        ctx.out.line(`${sanitizeLine(app.name)} has no process types yet: they come with its first release.`);
        return;
      }
      ctx.out.line(
        table(app.formation, [
          { header: 'type', value: (p) => p.type },
          { header: 'quantity', value: (p) => p.quantity },
          { header: 'size', value: (p) => p.size },
          { header: 'healthy', value: (p) => p.healthy },
          { header: 'starting', value: (p) => p.starting },
          { header: 'failed', value: (p) => p.failed },
        ]),
      );
      if (app.instances.length > 0) {
        ctx.out.line();
        ctx.out.line(
          table(app.instances, [
            { header: 'instance', value: (i) => i.id },
            { header: 'type', value: (i) => i.processType },
            { header: 'release', value: (i) => `v${i.release}` },
            { header: 'health', value: (i) => (i.detail ? `${i.health} (${i.detail})` : i.health) },
          ]),
        );
      } else if (app.activeRelease === null) {
        ctx.out.line();
        ctx.out.line('Nothing runs yet: deploy with `paas deploy`.');
      }
    });
    return EXIT.ok;
  },
};

export const psScale: Command = {
  name: 'ps:scale',
  aliases: ['scale'],
  summary: 'set how many instances of a process type run, and their size',
  usage: 'paas ps:scale TYPE=QUANTITY[:SIZE] … [-a APP]',
  description: 'Sizes: small, medium, large, xlarge. A new size rolls out as a release; a new quantity applies at once.',
  examples: ['paas ps:scale web=3 -a my-app', 'paas ps:scale web=2:large worker=1', 'paas ps:scale worker=medium'],
  options: ['app'],
  args: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(ctx) {
    const changes = ctx.args.map(parseScale);
    const app = ctx.app();
    const api = ctx.api();
    const done: { formation: { type: string; quantity: number; size: string }; deployment: { id: string } | null }[] = [];
    for (const { type, quantity, size } of changes) {
      const { body } = await api.call<(typeof done)[number]>('PATCH', `/api/v1/apps/${seg(app)}/formation/${seg(type)}`, {
        body: { ...(quantity !== undefined ? { quantity } : {}), ...(size !== undefined ? { size } : {}) },
      });
      done.push(body);
      if (!ctx.out.json) {
        const f = body.formation;
        ctx.out.line(
          `Scaled ${sanitizeLine(f.type)} to ${f.quantity} × ${sanitizeLine(f.size)}${body.deployment ? ' (the new size rolls out as a release)' : ''}.`,
        );
      }
    }
    ctx.out.result(
      { app, formation: done.map((d) => d.formation), deployments: done.flatMap((d) => (d.deployment ? [d.deployment] : [])) },
      () => {},
    );
    return EXIT.ok;
  },
};

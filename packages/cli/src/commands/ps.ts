import { seg } from '../api.js';
import { type Autoscaling, parseAutoscale, parseScale } from '../args.js';
import type { Command } from '../context.js';
import { EXIT } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { table } from '../table.js';
import { type AppDetail, autoscalingText } from './apps.js';

export const ps: Command = {
  name: 'ps',
  summary: "an app's formation (process types, quantities, sizes, autoscaling) and its instances",
  usage: 'paas ps [-a APP]',
  description:
    'AUTOSCALING: the metric, its target and the range of instances (`paas ps:autoscale`), or — for a fixed quantity.\n' +
    'DESIRED: how many instances the cloud wants now (with autoscaling, its latest choice); — when nothing runs.',
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
          { header: 'autoscaling', value: (p) => autoscalingText(p.autoscaling) },
          { header: 'desired', value: (p) => p.desired ?? '—' },
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

export const psAutoscale: Command = {
  name: 'ps:autoscale',
  aliases: ['autoscale'],
  summary: 'let the count of a process type follow CPU or traffic within --min..--max (or --off)',
  usage: 'paas ps:autoscale TYPE (--min N --max N (--cpu PCT | --requests N) | --off) [-a APP]',
  description:
    '--cpu PCT: hold the average CPU of the instances at PCT % (10 to 90).\n' +
    '--requests N: hold N requests per instance per minute (a whole number; web only: it alone gets requests).\n' +
    '--min, --max: the fewest and the most instances (1 to 100). While autoscaling is on, `paas ps:scale` takes\n' +
    'only a quantity within them; `paas ps` shows what the autoscaler wants now (DESIRED).\n' +
    '--off: back to a fixed quantity, the last one set (kept within the range).',
  examples: [
    'paas ps:autoscale web --min 1 --max 5 --cpu 60 -a my-app',
    'paas ps:autoscale web --min 2 --max 10 --requests 600',
    'paas ps:autoscale worker --min 1 --max 3 --cpu 70',
    'paas ps:autoscale web --off',
  ],
  options: ['app', 'min', 'max', 'cpu', 'requests', 'off'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const type = ctx.args[0] as string;
    const autoscaling = parseAutoscale(ctx.options);
    const app = ctx.app();
    const { body } = await ctx
      .api()
      .call<{ formation: { type: string; quantity: number; size: string; autoscaling: Autoscaling | null } }>(
        'PATCH',
        `/api/v1/apps/${seg(app)}/formation/${seg(type)}`,
        { body: { autoscaling } },
      );
    const f = body.formation;
    ctx.out.result({ app, formation: f }, () => ctx.out.line(autoscaleSentence(f)));
    return EXIT.ok;
  },
};

/** What `ps:autoscale` did, in words. */
export function autoscaleSentence(f: { type: string; quantity: number; autoscaling: Autoscaling | null }): string {
  const type = sanitizeLine(f.type);
  const a = f.autoscaling;
  if (!a) {
    const n = f.quantity;
    return `Autoscaling of ${type} is off: fixed at ${n} instance${n === 1 ? '' : 's'} (\`paas ps:scale ${type}=N\` changes it).`;
  }
  const what = a.metric === 'cpu' ? `CPU at ${a.target}%` : `${a.target} requests per instance per minute`;
  return `Autoscaling ${type} between ${a.min} and ${a.max} instances to hold ${what}.`;
}

import { seg } from '../api.js';
import { parseVersion } from '../args.js';
import type { Command } from '../context.js';
import { EXIT } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { shortTime, table } from '../table.js';
import { type Deployment, ensureSucceeded, watchDeployment } from '../watch-deployment.js';
import type { AppDetail } from './apps.js';

export const deploy: Command = {
  name: 'deploy',
  summary: "build and release the tracked branch's head (or --ref), streaming the build log",
  usage: 'paas deploy [--ref REF] [--detach] [-a APP]',
  description:
    'Waits until the deployment ends and exits 1 if it failed. REF: a branch, tag or commit sha.\n' +
    '--detach answers as soon as the deployment is queued. Ctrl-C stops watching; the deployment goes on.',
  examples: ['paas deploy -a my-app', 'paas deploy --ref v1.2.0', 'paas deploy --ref 3f2c1a9 --detach'],
  options: ['app', 'ref', 'detach'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const app = ctx.app();
    const { body } = await ctx.api().call<{ deployment: Deployment }>('POST', `/api/v1/apps/${seg(app)}/deploys`, {
      body: ctx.options.ref !== undefined ? { ref: ctx.options.ref } : {},
    });
    const queued = body.deployment;
    if (ctx.options.detach) {
      ctx.out.result({ deployment: queued }, () =>
        ctx.out.line(`${sanitizeLine(queued.description ?? 'Deploy')} of ${sanitizeLine(app)} queued (deployment ${queued.id}).`),
      );
      return EXIT.ok;
    }
    ctx.out.line(`-----> ${sanitizeLine(queued.description ?? 'Deploy')} to ${sanitizeLine(app)} (deployment ${queued.id})`);
    const done = await watchDeployment(ctx, app, queued);
    ctx.out.result({ deployment: done }, () => {
      if (done.state === 'succeeded') {
        ctx.out.line(
          `-----> Released${done.release ? ` v${done.release.version}` : ''}${done.commitSha ? ` (${done.commitSha.slice(0, 7)})` : ''}`,
        );
      }
    });
    ensureSucceeded(done);
    return EXIT.ok;
  },
};

export const releases: Command = {
  name: 'releases',
  summary: "an app's releases, newest first",
  usage: 'paas releases [-a APP]',
  examples: ['paas releases -a my-app', 'paas releases --json'],
  options: ['app'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const name = ctx.app();
    const { app } = await ctx.api().get<{ app: AppDetail }>(`/api/v1/apps/${seg(name)}`);
    ctx.out.result({ app: app.name, releases: app.releases }, () => {
      if (app.releases.length === 0) {
        ctx.out.line(`${sanitizeLine(app.name)} has no releases yet: deploy with \`paas deploy\`.`);
        return;
      }
      ctx.out.line(
        table(app.releases, [
          { header: 'version', value: (r) => `v${r.version}` },
          { header: 'status', value: (r) => r.status },
          { header: 'cause', value: (r) => r.cause },
          { header: 'description', value: (r) => r.description ?? '' },
          { header: 'commit', value: (r) => r.commitSha?.slice(0, 7) ?? '' },
          { header: 'stack', value: (r) => r.stack ?? '' },
          { header: 'created', value: (r) => shortTime(r.createdAt) },
        ]),
      );
    });
    return EXIT.ok;
  },
};

export const rollback: Command = {
  name: 'rollback',
  aliases: ['releases:rollback'],
  summary: 'a new release that runs exactly what vN ran (no build)',
  usage: 'paas rollback vN [--detach] [-a APP]',
  description: 'Waits until the rollback is live and exits 1 if it failed; --detach answers once it is queued.',
  examples: ['paas rollback v3 -a my-app', 'paas rollback 3'],
  options: ['app', 'detach'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const version = parseVersion(ctx.args[0] as string);
    const app = ctx.app();
    const { body } = await ctx
      .api()
      .call<{ deployment: Deployment }>('POST', `/api/v1/apps/${seg(app)}/rollback`, { body: { version } });
    if (ctx.options.detach) {
      ctx.out.result({ deployment: body.deployment }, () =>
        ctx.out.line(`Rollback of ${sanitizeLine(app)} to v${version} queued (deployment ${body.deployment.id}).`),
      );
      return EXIT.ok;
    }
    ctx.out.line(`-----> Rolling back ${sanitizeLine(app)} to v${version} (deployment ${body.deployment.id})`);
    const done = await watchDeployment(ctx, app, body.deployment);
    ctx.out.result({ deployment: done }, () => {
      if (done.state === 'succeeded') {
        ctx.out.line(
          `-----> Rolled back: ${done.release ? `v${done.release.version}` : 'the new release'} runs what v${version} ran`,
        );
      }
    });
    ensureSucceeded(done);
    return EXIT.ok;
  },
};

import { seg } from '../api.js';
import type { Autoscaling } from '../args.js';
import type { Command } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { keyValues, shortTime, table } from '../table.js';

interface AppSummary {
  name: string;
  repoUrl: string;
  branch: string;
  status: string;
  activeRelease: number | null;
  lastDeployment: { state: string; step: string; kind: string } | null;
  formation: { type: string; quantity: number }[];
}

export interface AppDetail {
  name: string;
  repoUrl: string;
  branch: string;
  status: string;
  createdAt: string;
  urls: string[];
  activeRelease: number | null;
  rootDir: string;
  /** The name of the cloud account the app runs in. */
  cloudAccount: string;
  /** The cloud account's region (absent from platforms before it was added). */
  region?: string;
  formation: {
    type: string;
    /** The count asked for; with autoscaling, the autoscaler moves the count within min..max. */
    quantity: number;
    size: string;
    autoscaling: Autoscaling | null;
    /** The count the cloud wants now (the autoscaler's choice); null when nothing runs. */
    desired: number | null;
    healthy: number;
    starting: number;
    failed: number;
  }[];
  instances: { id: string; processType: string; release: number; health: string; detail?: string }[];
  releases: {
    version: number;
    status: string;
    cause: string;
    description: string | null;
    commitSha: string | null;
    /** node, python, go or static: what the build detected. */
    stack: string | null;
    rollbackOf: number | null;
    createdAt: string;
  }[];
  deployments: { id: string; kind: string; state: string; step: string; description: string | null; createdAt: string }[];
}

export interface CloudAccountView {
  name: string;
  provider: string;
  region: string;
  status: string;
  error: string | null;
}

export const formationText = (f: readonly { type: string; quantity: number }[]) =>
  f.map((p) => `${p.type}=${p.quantity}`).join(' ') || '—';

/** `cpu 60% 1–3`, `requests 600/min 2–10` (per instance), or `—` for a fixed quantity. */
export function autoscalingText(a: Autoscaling | null | undefined): string {
  if (!a) return '—';
  return `${a.metric === 'cpu' ? `cpu ${a.target}%` : `requests ${a.target}/min`} ${a.min}–${a.max}`;
}

export const appsList: Command = {
  name: 'apps',
  aliases: ['apps:list'],
  summary: "list the team's apps",
  usage: 'paas apps',
  examples: ['paas apps', 'paas apps --json'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const { apps } = await ctx.api().get<{ apps: AppSummary[] }>('/api/v1/apps');
    ctx.out.result({ apps }, () => {
      if (apps.length === 0) {
        ctx.out.line('No apps yet. Create one with `paas apps:create NAME [--repo URL]`.');
        return;
      }
      ctx.out.line(
        table(apps, [
          { header: 'name', value: (a) => a.name },
          { header: 'release', value: (a) => (a.activeRelease === null ? '—' : `v${a.activeRelease}`) },
          { header: 'formation', value: (a) => formationText(a.formation) },
          {
            header: 'last deployment',
            value: (a) =>
              a.status === 'deleting'
                ? 'deleting'
                : a.lastDeployment
                  ? `${a.lastDeployment.kind} ${a.lastDeployment.state}`
                  : '—',
          },
          { header: 'repository', value: (a) => `${a.repoUrl || 'git push'} (${a.branch})` },
        ]),
      );
    });
    return EXIT.ok;
  },
};

export const appsInfo: Command = {
  name: 'apps:info',
  aliases: ['info'],
  summary: 'an app: repository, hostnames, release, formation, cloud account and region',
  usage: 'paas apps:info [-a APP]',
  examples: ['paas apps:info -a my-app'],
  options: ['app'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const name = ctx.app();
    const api = ctx.api();
    const [{ app }, accounts] = await Promise.all([
      api.get<{ app: AppDetail }>(`/api/v1/apps/${seg(name)}`),
      // For the account's state (and the region from an older platform): without it, the rest still shows.
      api.get<{ cloudAccounts: CloudAccountView[] }>('/api/v1/cloud-accounts').then(
        (r) => r.cloudAccounts,
        () => null,
      ),
    ]);
    const account = accounts?.find((a) => a.name === app.cloudAccount) ?? null;
    const region = app.region ?? account?.region ?? null;
    ctx.out.result({ app, cloudAccount: account }, () => {
      ctx.out.line(`=== ${sanitizeLine(app.name)}`);
      ctx.out.line(
        keyValues([
          [
            'Repository',
            `${app.repoUrl || 'none: git push to it'} (${app.branch})${app.rootDir ? `, directory ${app.rootDir}` : ''}`,
          ],
          ['Hostnames', app.urls.join(', ') || '—'],
          ['Release', app.activeRelease === null ? 'none yet' : `v${app.activeRelease}`],
          [
            'Formation',
            app.formation
              .map(
                (p) =>
                  `${p.type}=${p.quantity}:${p.size}${p.autoscaling ? ` (autoscaling ${autoscalingText(p.autoscaling)})` : ''}`,
              )
              .join(' ') || '—',
          ],
          [
            'Cloud account',
            account && account.status !== 'verified' ? `${app.cloudAccount} (${account.status})` : app.cloudAccount,
          ],
          ['Region', region ?? '—'],
          ['Status', app.status],
          ['Created', shortTime(app.createdAt)],
        ]),
      );
    });
    return EXIT.ok;
  },
};

export const appsCreate: Command = {
  name: 'apps:create',
  aliases: ['create'],
  summary: 'create an app: from a git repository, or one you git push to',
  usage: 'paas apps:create NAME [--repo URL] [--branch BRANCH]',
  description: 'NAME: lowercase letters, digits and single hyphens, starting with a letter (2–30). The branch defaults to main.',
  examples: [
    'paas apps:create my-app --repo https://github.com/acme/my-app',
    'paas apps:create api --repo git@github.com:acme/api.git --branch production',
  ],
  options: ['repo', 'branch'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const name = ctx.args[0] as string;
    const { body } = await ctx
      .api()
      .call<{ app: { name: string; repoUrl: string; branch: string; urls: string[] } }>('POST', '/api/v1/apps', {
        body: {
          name,
          ...(ctx.options.repo ? { repoUrl: ctx.options.repo } : {}),
          ...(ctx.options.branch !== undefined ? { branch: ctx.options.branch } : {}),
        },
      });
    ctx.out.result(body, () => {
      ctx.out.line(
        body.app.repoUrl
          ? `Created ${sanitizeLine(body.app.name)} from ${sanitizeLine(body.app.repoUrl)} (${sanitizeLine(body.app.branch)}).`
          : `Created ${sanitizeLine(body.app.name)}: deploy it with \`paas git:remote -a ${sanitizeLine(body.app.name)}\` and \`git push paas main\`.`,
      );
      if (body.app.urls.length > 0) ctx.out.line(`Hostnames: ${body.app.urls.map(sanitizeLine).join(', ')}`);
      ctx.out.line(`Deploy it with \`paas deploy -a ${sanitizeLine(body.app.name)}\`.`);
    });
    return EXIT.ok;
  },
};

export const appsDestroy: Command = {
  name: 'apps:destroy',
  aliases: ['destroy'],
  summary: 'delete an app, its processes, releases and config (asks for --confirm NAME)',
  usage: 'paas apps:destroy NAME --confirm NAME',
  description: 'Irreversible. Refuses unless --confirm repeats the app name.',
  examples: ['paas apps:destroy my-app --confirm my-app'],
  options: ['app', 'confirm'],
  args: { min: 0, max: 1 },
  async run(ctx) {
    const positional = ctx.args[0];
    if (positional !== undefined && ctx.options.app !== undefined && positional !== ctx.options.app) {
      throw usageError(`two different apps given: ${positional} and -a ${ctx.options.app}`);
    }
    const name = positional ?? ctx.app();
    if (ctx.options.confirm !== name) {
      throw usageError(
        `this deletes ${name} with everything it runs, its releases and config, and cannot be undone.\n` +
          `To go ahead, run again with --confirm ${name}`,
      );
    }
    const { body } = await ctx.api().call<{ app: { name: string; status: string } }>('DELETE', `/api/v1/apps/${seg(name)}`);
    ctx.out.result(body, () =>
      ctx.out.line(`Destroying ${sanitizeLine(name)}: its processes, routes and builds are being removed.`),
    );
    return EXIT.ok;
  },
};

export const appsMove: Command = {
  name: 'apps:move',
  summary: 'run an app in another cloud account of the team (only before its first build)',
  usage: 'paas apps:move ACCOUNT [-a APP]',
  description:
    "ACCOUNT: the name of one of the team's cloud accounts (the dashboard's Cloud accounts page; `paas apps:info` shows\n" +
    "the app's). Refused (exit 6) once the app has been built: its images, instances and certificates live in the\n" +
    'account it was built in. Create a new app in the other account and deploy it there instead.',
  examples: ['paas apps:move prod-eu -a my-app'],
  options: ['app'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const account = ctx.args[0] as string;
    const name = ctx.app();
    const { body } = await ctx.api().call<{ app: { name: string; cloudAccount: string } }>('PATCH', `/api/v1/apps/${seg(name)}`, {
      body: { cloudAccount: account },
    });
    ctx.out.result(body, () =>
      ctx.out.line(
        `${sanitizeLine(body.app.name)} is in cloud account ${sanitizeLine(body.app.cloudAccount)}: it builds and runs there.`,
      ),
    );
    return EXIT.ok;
  },
};

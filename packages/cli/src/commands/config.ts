import { seg } from '../api.js';
import { splitAssignment } from '../args.js';
import type { Command, Context } from '../context.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { keyValues } from '../table.js';

interface ConfigAnswer {
  config: Record<string, string | null>;
  version: number;
  valuesHidden: boolean;
}

interface ConfigChange {
  config: Record<string, string>;
  version: number;
  deployment: { id: string } | null;
}

async function patchConfig(ctx: Context, patch: Record<string, string | null>) {
  const app = ctx.app();
  const answer = await ctx.api().call<ConfigChange>('PATCH', `/api/v1/apps/${seg(app)}/config`, { body: patch });
  return { app, changed: answer.status === 202, ...answer.body };
}

const listKeys = (keys: string[]) => keys.map(sanitizeLine).join(', ');

export const config: Command = {
  name: 'config',
  summary: "an app's config vars (viewers see the keys only)",
  usage: 'paas config [-a APP]',
  examples: ['paas config -a my-app', 'paas config --json'],
  options: ['app'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const app = ctx.app();
    const answer = await ctx.api().get<ConfigAnswer>(`/api/v1/apps/${seg(app)}/config`);
    ctx.out.result({ app, ...answer }, () => {
      const entries = Object.entries(answer.config);
      ctx.out.line(`=== ${sanitizeLine(app)} config vars (v${answer.version})`);
      if (entries.length === 0) ctx.out.line('No config vars. Set one with `paas config:set KEY=value`.');
      else ctx.out.line(keyValues(entries.map(([k, v]) => [k, answer.valuesHidden ? '(hidden)' : v])));
      if (answer.valuesHidden) ctx.out.line('Values are hidden from your role; members and above see them.');
    });
    return EXIT.ok;
  },
};

export const configGet: Command = {
  name: 'config:get',
  summary: 'the value of one config var',
  usage: 'paas config:get KEY [-a APP]',
  examples: ['paas config:get DATABASE_URL -a my-app'],
  options: ['app'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const key = ctx.args[0] as string;
    const app = ctx.app();
    const answer = await ctx.api().get<ConfigAnswer>(`/api/v1/apps/${seg(app)}/config`);
    if (!(key in answer.config)) throw new CliError(`${app} has no config var ${key}`, EXIT.notFound, 'not_found');
    if (answer.valuesHidden) throw new CliError('config values are hidden from your role', EXIT.forbidden, 'forbidden');
    const value = answer.config[key] ?? '';
    ctx.out.result({ app, key, value }, () => ctx.out.line(sanitizeLine(value)));
    return EXIT.ok;
  },
};

export const configSet: Command = {
  name: 'config:set',
  summary: 'set config vars; a release with the new config rolls out',
  usage: 'paas config:set KEY=VALUE … [-a APP]',
  examples: ['paas config:set GREETING=hello -a my-app', "paas config:set LOG_LEVEL=debug 'MOTTO=a = b'"],
  options: ['app'],
  args: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(ctx) {
    const patch: Record<string, string> = {};
    for (const arg of ctx.args) {
      const [key, value] = splitAssignment(arg, 'KEY=VALUE');
      patch[key] = value;
    }
    const result = await patchConfig(ctx, patch);
    const keys = Object.keys(patch);
    ctx.out.result(result, () => {
      if (!result.changed) ctx.out.line(`${listKeys(keys)} already set so on ${sanitizeLine(result.app)}: nothing changed.`);
      else {
        ctx.out.line(`Set ${listKeys(keys)} on ${sanitizeLine(result.app)} (config v${result.version}).`);
        if (result.deployment) ctx.out.line(`A release with it is rolling out (deployment ${result.deployment.id}).`);
      }
    });
    return EXIT.ok;
  },
};

export const configUnset: Command = {
  name: 'config:unset',
  summary: 'remove config vars; a release without them rolls out',
  usage: 'paas config:unset KEY … [-a APP]',
  examples: ['paas config:unset GREETING -a my-app'],
  options: ['app'],
  args: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(ctx) {
    for (const key of ctx.args) {
      if (key.includes('=')) throw usageError(`config:unset takes keys only, got "${key}" (did you mean config:set?)`);
    }
    const result = await patchConfig(ctx, Object.fromEntries(ctx.args.map((k) => [k, null])));
    ctx.out.result(result, () => {
      if (!result.changed) ctx.out.line(`${listKeys(ctx.args)} not set on ${sanitizeLine(result.app)}: nothing changed.`);
      else {
        ctx.out.line(`Unset ${listKeys(ctx.args)} on ${sanitizeLine(result.app)} (config v${result.version}).`);
        if (result.deployment) ctx.out.line(`A release without it is rolling out (deployment ${result.deployment.id}).`);
      }
    });
    return EXIT.ok;
  },
};

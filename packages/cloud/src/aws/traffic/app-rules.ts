import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeTagsCommand,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AppError, type AppRef, notFound, type TrafficInfo, type TrafficInput, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { targetGroupArn } from '../groups/target-groups';
import { awsNames } from '../names';
import { appTags, TAG, tagList } from '../tags';
import { upsertAliases } from './dns-aliases';
import { listenerRules, type Placement, placementOf } from './load-balancers';
import {
  forwardTo,
  hostConditions,
  hostnameChunks,
  MAX_TARGET_GROUPS_PER_RULE,
  type WeightedTargetGroup,
  weightsFor,
} from './rule-input';

interface AppRule {
  arn: string;
  index: number;
  hostnames: string[];
  targetGroups: { arn: string; weight: number }[];
}

/** Attaches a web group's target group to the app's rules at weight 0: health-checked, no traffic yet. */
export async function registerServerGroup(ctx: AwsContext, app: AppRef, ref: string): Promise<void> {
  const arn = await groupTargetGroup(ctx, ref);
  const placement = await placementOf(ctx, app.id, true);
  if (!placement) throw new AppError('internal', 'no placement');
  const rules = await appRules(ctx, placement, app.id);
  if (rules.length === 0) {
    await createRule(ctx, placement, app, 0, [awsNames.offlineHostname(app.id)], [{ arn, weight: 0 }]);
    return;
  }
  for (const rule of rules) {
    if (rule.targetGroups.some((t) => t.arn === arn)) continue;
    if (rule.targetGroups.length >= MAX_TARGET_GROUPS_PER_RULE) {
      throw new AppError('conflict', `${app.name} already has ${MAX_TARGET_GROUPS_PER_RULE} server groups on its load balancer`);
    }
    await modifyRule(ctx, rule.arn, rule.hostnames, [...rule.targetGroups, { arn, weight: 0 }]);
  }
}

export async function deregisterServerGroup(ctx: AwsContext, app: AppRef, ref: string): Promise<void> {
  const groupId = awsNames.groupIdOf(ref);
  const arn = groupId ? await targetGroupArn(ctx, groupId) : undefined;
  if (arn) await detachTargetGroup(ctx, app.id, arn);
}

/** Takes a target group out of the app's rules; the last one out takes the rules with it. */
export async function detachTargetGroup(ctx: AwsContext, appId: string | null, arn: string): Promise<void> {
  const owner = appId ?? (await tagsOf(ctx, [arn])).get(arn)?.[TAG.app];
  if (!owner) return;
  const placement = await placementOf(ctx, owner, false);
  if (!placement) return;
  for (const rule of await appRules(ctx, placement, owner)) {
    if (!rule.targetGroups.some((t) => t.arn === arn)) continue;
    const rest = rule.targetGroups.filter((t) => t.arn !== arn);
    if (rest.length === 0) await deleteRule(ctx, rule.arn);
    else await modifyRule(ctx, rule.arn, rule.hostnames, rest);
  }
}

/** Points the app's hostnames at one registered group (weight 1), or takes the app offline. */
export async function switchTraffic(ctx: AwsContext, input: TrafficInput): Promise<void> {
  const placement = await placementOf(ctx, input.app.id, true);
  if (!placement) throw new AppError('internal', 'no placement');
  const rules = await appRules(ctx, placement, input.app.id);
  const registered = [...new Set(rules.flatMap((r) => r.targetGroups.map((t) => t.arn)))];
  let serving: string | null = null;
  if (input.serverGroupRef !== null) {
    serving = await groupTargetGroup(ctx, input.serverGroupRef);
    if (!registered.includes(serving)) {
      throw validationError(`server group ${input.serverGroupRef} is not registered with ${input.app.name}'s load balancer`);
    }
  }
  if (registered.length === 0) throw validationError(`${input.app.name} has no server group registered with its load balancer`);
  await writeRules(ctx, placement, input.app, rules, serving === null ? null : input.hostnames, weightsFor(registered, serving));
  if (serving !== null) await upsertAliases(ctx, placement, input.hostnames);
}

/** New hostnames on the app's rules with the weights as they are (a domain added or removed). */
export async function setHostnames(ctx: AwsContext, app: AppRef, hostnames: string[]): Promise<void> {
  const placement = await placementOf(ctx, app.id, false);
  if (!placement) return;
  const rules = await appRules(ctx, placement, app.id);
  const weighted = rules[0]?.targetGroups ?? [];
  // An app that serves nothing keeps its offline rule; the next switch brings the hostnames.
  if (!weighted.some((t) => t.weight > 0)) return;
  await writeRules(ctx, placement, app, rules, hostnames, weighted);
  await upsertAliases(ctx, placement, hostnames);
}

/** Creates, changes or deletes the app's rules so they carry these hostnames (null: offline) and weights. */
async function writeRules(
  ctx: AwsContext,
  placement: Placement,
  app: AppRef,
  rules: AppRule[],
  hostnames: string[] | null,
  weighted: WeightedTargetGroup[],
): Promise<void> {
  const chunks = hostnames === null ? [[awsNames.offlineHostname(app.id)]] : hostnameChunks(hostnames);
  for (const [index, chunk] of chunks.entries()) {
    const rule = rules.find((r) => r.index === index);
    if (!rule) await createRule(ctx, placement, app, index, chunk, weighted);
    else if (!sameRule(rule, chunk, weighted)) await modifyRule(ctx, rule.arn, chunk, weighted);
  }
  for (const extra of rules.filter((r) => r.index >= chunks.length)) await deleteRule(ctx, extra.arn);
}

export async function describeTraffic(ctx: AwsContext, app: AppRef): Promise<TrafficInfo | null> {
  const placement = await placementOf(ctx, app.id, false);
  if (!placement) return null;
  const rules = await appRules(ctx, placement, app.id);
  if (rules.length === 0) return null;
  const offline = awsNames.offlineHostname(app.id);
  const arns = [...new Set(rules.flatMap((r) => r.targetGroups.map((t) => t.arn)))];
  const tags = await tagsOf(ctx, arns);
  const refOf = (arn: string) => tags.get(arn)?.[TAG.group] ?? arn;
  const servingArn = rules[0]?.targetGroups.find((t) => t.weight > 0)?.arn ?? null;
  return {
    hostnames: rules.flatMap((r) => r.hostnames).filter((h) => h !== offline),
    serverGroupRef: servingArn === null ? null : refOf(servingArn),
    registered: arns.map(refOf),
    dnsTarget: placement.dnsName,
  };
}

/** Removes every rule of the app (teardown). */
export async function deleteAppRules(ctx: AwsContext, appId: string): Promise<void> {
  const placement = await placementOf(ctx, appId, false);
  if (!placement) return;
  for (const rule of await appRules(ctx, placement, appId)) await deleteRule(ctx, rule.arn);
}

async function groupTargetGroup(ctx: AwsContext, ref: string): Promise<string> {
  const groupId = awsNames.groupIdOf(ref);
  const arn = groupId ? await targetGroupArn(ctx, groupId) : undefined;
  if (!arn) throw notFound('server group', ref);
  return arn;
}

/** The app's rules on its listener, found by their tags, in index order. */
async function appRules(ctx: AwsContext, placement: Placement, appId: string): Promise<AppRule[]> {
  const all = await listenerRules(ctx, placement.listenerArn);
  const tags = await tagsOf(
    ctx,
    all.map((r) => r.RuleArn as string),
  );
  const mine: AppRule[] = [];
  for (const rule of all) {
    const t = tags.get(rule.RuleArn as string);
    if (t?.[TAG.app] !== appId) continue;
    const forward = rule.Actions?.find((a) => a.Type === 'forward');
    mine.push({
      arn: rule.RuleArn as string,
      index: Number(t[TAG.rule] ?? 0),
      hostnames: rule.Conditions?.find((c) => c.Field === 'host-header')?.HostHeaderConfig?.Values ?? [],
      targetGroups: (forward?.ForwardConfig?.TargetGroups ?? []).map((g) => ({
        arn: g.TargetGroupArn as string,
        weight: g.Weight ?? 0,
      })),
    });
  }
  return mine.sort((a, b) => a.index - b.index);
}

/** Tags of load balancer resources; rule and target group tags never change once written, so they are remembered. */
async function tagsOf(ctx: AwsContext, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>();
  const knownTags = ctx.tagCache;
  const unknown = arns.filter((arn) => !knownTags.has(arn));
  for (let i = 0; i < unknown.length; i += 20) {
    const out = await ctx.clients.elb.send(new DescribeTagsCommand({ ResourceArns: unknown.slice(i, i + 20) })).catch((error) => {
      if (isAwsError(error, 'RuleNotFound', 'TargetGroupNotFound', 'LoadBalancerNotFound')) return { TagDescriptions: [] };
      throw toAppError(error, 'DescribeTags');
    });
    for (const d of out.TagDescriptions ?? []) {
      const tags = Object.fromEntries((d.Tags ?? []).map((t) => [t.Key as string, t.Value ?? '']));
      if (d.ResourceArn) knownTags.set(d.ResourceArn, tags);
    }
  }
  for (const arn of arns) {
    const tags = ctx.tagCache.get(arn);
    if (tags) result.set(arn, tags);
  }
  return result;
}

async function createRule(
  ctx: AwsContext,
  placement: Placement,
  app: AppRef,
  index: number,
  hostnames: string[],
  targetGroups: { arn: string; weight: number }[],
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const priority = await freePriority(ctx, placement.listenerArn);
    try {
      await ctx.clients.elb.send(
        new CreateRuleCommand({
          ListenerArn: placement.listenerArn,
          Priority: priority,
          Conditions: hostConditions(hostnames),
          Actions: forwardTo(targetGroups),
          Tags: tagList(appTags(app, { [TAG.rule]: String(index) })),
        }),
      );
      return;
    } catch (error) {
      // Another app took the priority meanwhile: pick again.
      if (isAwsError(error, 'PriorityInUse', 'PriorityInUseException') && attempt < 5) continue;
      if (isAwsError(error, 'TooManyRules', 'TooManyRulesException'))
        throw new AppError(
          'cloud_failed',
          `the load balancer of ${app.name} has no room for another rule (100 per load balancer)`,
        );
      throw toAppError(error, 'CreateRule');
    }
  }
}

async function freePriority(ctx: AwsContext, listenerArn: string): Promise<number> {
  const used = new Set((await listenerRules(ctx, listenerArn)).map((r) => Number(r.Priority)));
  // Spread from a random start so two workers placing apps at once rarely pick the same one.
  const start = 1 + Math.floor(Math.random() * 1000);
  for (let p = start; p < start + 50_000; p++) {
    const candidate = ((p - 1) % 50_000) + 1;
    if (!used.has(candidate)) return candidate;
  }
  throw new AppError('cloud_failed', 'no free rule priority on the load balancer');
}

async function modifyRule(ctx: AwsContext, arn: string, hostnames: string[], targetGroups: { arn: string; weight: number }[]) {
  await ctx.clients.elb
    .send(new ModifyRuleCommand({ RuleArn: arn, Conditions: hostConditions(hostnames), Actions: forwardTo(targetGroups) }))
    .catch((error) => {
      throw toAppError(error, 'ModifyRule');
    });
}

async function deleteRule(ctx: AwsContext, arn: string): Promise<void> {
  try {
    await ctx.clients.elb.send(new DeleteRuleCommand({ RuleArn: arn }));
  } catch (error) {
    if (!isAwsError(error, 'RuleNotFound', 'RuleNotFoundException')) throw toAppError(error, 'DeleteRule');
  }
}

function sameRule(rule: AppRule, hostnames: string[], targetGroups: { arn: string; weight: number }[]): boolean {
  const key = (t: { arn: string; weight: number }[]) => JSON.stringify([...t].sort((a, b) => a.arn.localeCompare(b.arn)));
  return JSON.stringify(rule.hostnames) === JSON.stringify(hostnames) && key(rule.targetGroups) === key(targetGroups);
}

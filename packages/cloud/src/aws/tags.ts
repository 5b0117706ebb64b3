import type { AppRef } from '@paas/core';

// Tags on everything the provider creates: cost allocation by app and team,
// and how teardown and the leak sweep find what an app owns.
export const TAG = {
  app: 'paas:app',
  appName: 'paas:app-name',
  team: 'paas:team',
  release: 'paas:release',
  build: 'paas:build',
  role: 'paas:role',
  group: 'paas:server-group',
  processType: 'paas:process-type',
  source: 'paas:source',
  enabled: 'paas:enabled',
  rule: 'paas:rule',
  serving: 'paas:serving',
  managed: 'paas:managed',
} as const;

export type TagMap = Record<string, string>;

export function appTags(app: AppRef, extra: TagMap = {}): TagMap {
  return {
    [TAG.managed]: 'true',
    [TAG.app]: app.id,
    [TAG.appName]: app.name,
    ...(app.teamId ? { [TAG.team]: app.teamId } : {}),
    ...extra,
  };
}

export const tagList = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function tagValue(tags: { Key?: string; Value?: string }[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

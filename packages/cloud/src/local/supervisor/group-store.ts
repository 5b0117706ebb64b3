import { notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { acquireLock, type HeldLock, withLock } from '../state/file-lock';
import type { GroupRecord, TemplateRecord } from '../state/records';

export const readGroup = (ctx: LocalContext, ref: string) => readJsonFile<GroupRecord>(ctx.layout.group(ref));

export async function saveGroup(ctx: LocalContext, group: GroupRecord): Promise<void> {
  group.updatedAt = new Date().toISOString();
  await writeJsonAtomic(ctx.layout.group(group.ref), group, 0o600);
}

export async function readTemplate(ctx: LocalContext, templateRef: string): Promise<TemplateRecord> {
  const template = await readJsonFile<TemplateRecord>(ctx.layout.template(templateRef));
  if (template === null) throw notFound('release template', templateRef);
  return template;
}

/** Every write to a group holds its lock, so two workers never start the same slot twice. */
export const withGroupLock = <T>(ctx: LocalContext, ref: string, work: () => Promise<T>) =>
  withLock(ctx.layout.lock(`group-${ref}`), { waitMs: ctx.lockWaitMs }, work);

export const tryGroupLock = (ctx: LocalContext, ref: string): Promise<HeldLock | null> =>
  acquireLock(ctx.layout.lock(`group-${ref}`), { waitMs: 0 });

/** Loads a live group for a change under its lock, or says it does not exist. */
export async function changeGroup(ctx: LocalContext, ref: string, change: (group: GroupRecord) => boolean | Promise<boolean>) {
  await withGroupLock(ctx, ref, async () => {
    const group = await readGroup(ctx, ref);
    if (group === null || group.destroyed) throw notFound('server group', ref);
    if (await change(group)) await saveGroup(ctx, group);
  });
}

import { notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { acquireLock, type HeldLock, withLock } from '../state/file-lock';
import type { GroupRecord, TemplateRecord } from '../state/records';

export const readGroup = (ctx: LocalContext, name: string) => readJsonFile<GroupRecord>(ctx.layout.group(name));

export async function saveGroup(ctx: LocalContext, group: GroupRecord): Promise<void> {
  group.updatedAt = new Date().toISOString();
  await writeJsonAtomic(ctx.layout.group(group.name), group);
}

export async function readTemplate(ctx: LocalContext, templateRef: string): Promise<TemplateRecord> {
  const template = await readJsonFile<TemplateRecord>(ctx.layout.template(templateRef));
  if (template === null) throw notFound('release template', templateRef);
  return template;
}

/** Every write to a group holds its lock, so two workers never start the same slot twice. */
export const withGroupLock = <T>(ctx: LocalContext, name: string, work: () => Promise<T>) =>
  withLock(ctx.layout.lock(`group-${name}`), { waitMs: ctx.lockWaitMs }, work);

export const tryGroupLock = (ctx: LocalContext, name: string): Promise<HeldLock | null> =>
  acquireLock(ctx.layout.lock(`group-${name}`), { waitMs: 0 });

import { stat } from 'node:fs/promises';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import type { Layout } from '../state/layout';
import type { GroupRecord, TemplateRecord } from '../state/records';

/** Images that must stay whatever their age, and why (for the log). */
export interface ImageReferences {
  /** Run by a server group that exists (or is still stopping its instances). */
  byGroups: Set<string>;
  /** In a template of one of the app's newest releases (the rollback window), or of a template made lately (a deploy between its steps). */
  byTemplates: Set<string>;
}

/**
 * Reads every group and template. A file that cannot be read makes the whole
 * pass give up (it throws): an image is only ever deleted knowing all that refers to it.
 */
export async function readImageReferences(
  paths: Layout,
  policy: { keepImages: number; safetyAgeMs: number },
  now: number,
): Promise<ImageReferences> {
  const templates = new Map<string, TemplateRecord>();
  const byTemplates = new Set<string>();
  const releasesByApp = new Map<string, { version: number; imageRef: string }[]>();
  for (const path of await listJsonFiles(paths.templates)) {
    const template = await readJsonFile<TemplateRecord>(path);
    const mtime = await stat(path).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (template === null || mtime === null) continue; // removed meanwhile (an app's teardown)
    templates.set(path, template);
    if (now - mtime < policy.safetyAgeMs) byTemplates.add(template.imageRef);
    const releases = releasesByApp.get(template.app.id) ?? [];
    releases.push({ version: template.release.version, imageRef: template.imageRef });
    releasesByApp.set(template.app.id, releases);
  }
  for (const releases of releasesByApp.values()) {
    releases.sort((a, b) => b.version - a.version);
    for (const release of releases.slice(0, policy.keepImages)) byTemplates.add(release.imageRef);
  }

  const byGroups = new Set<string>();
  for (const path of await listJsonFiles(paths.groups)) {
    const group = await readJsonFile<GroupRecord>(path);
    if (group === null || (group.destroyed && group.instances.length === 0)) continue;
    const template =
      templates.get(paths.template(group.templateRef)) ?? (await readJsonFile<TemplateRecord>(paths.template(group.templateRef)));
    if (template === null) throw new Error(`server group ${group.ref} runs template ${group.templateRef}, which cannot be read`);
    byGroups.add(template.imageRef);
  }
  return { byGroups, byTemplates };
}

export const isReferenced = (refs: ImageReferences, buildId: string) =>
  refs.byGroups.has(buildId) || refs.byTemplates.has(buildId);

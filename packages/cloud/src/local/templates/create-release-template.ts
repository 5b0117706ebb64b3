import { isValidProcessType } from '@paas/buildpacks';
import { AppError, INSTANCE_SIZES, isInstanceSize, type ReleaseTemplateInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames, parseConfigRef } from '../names';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import type { BuildResult, TemplateRecord } from '../state/records';

/**
 * Like a launch template version: written once and never changed. The same
 * input again returns the same ref (a retried step); different input for the
 * same release is a conflict. It holds no config values, only the config's ref.
 */
export async function createReleaseTemplate(ctx: LocalContext, input: ReleaseTemplateInput): Promise<{ templateRef: string }> {
  if (!Number.isInteger(input.release.version) || input.release.version < 1) {
    throw validationError('release version must be a positive integer');
  }
  const types = Object.keys(input.processes);
  if (types.length === 0) throw validationError('a release needs at least one process type');
  for (const [type, process] of Object.entries(input.processes)) {
    if (!isValidProcessType(type)) throw validationError(`process type "${type}" is not valid`);
    if (!isInstanceSize(process.size))
      throw validationError(`instance size "${process.size}" is not one of ${INSTANCE_SIZES.join(', ')}`);
  }
  if (input.configRef !== null && parseConfigRef(input.configRef)?.appId !== input.app.id) {
    throw validationError(`config ${input.configRef} does not belong to app ${input.app.name}`);
  }
  const image = await readJsonFile<BuildResult>(ctx.layout.image(input.imageRef).result).catch(() => null);
  if (image?.state !== 'succeeded') throw validationError(`imageRef "${input.imageRef}" is not an image built by this provider`);

  const templateRef = localNames.template(input.release.id);
  const path = ctx.layout.template(templateRef);
  const record: TemplateRecord = {
    app: { id: input.app.id, name: input.app.name },
    release: { id: input.release.id, version: input.release.version },
    imageRef: input.imageRef,
    configRef: input.configRef,
    processes: sortKeys(input.processes),
  };
  if (await createJsonOnce(path, record, 0o600)) return { templateRef };

  const existing = await readJsonFile<TemplateRecord>(path);
  if (existing !== null && JSON.stringify({ ...existing, processes: sortKeys(existing.processes) }) === JSON.stringify(record)) {
    return { templateRef };
  }
  throw new AppError(
    'conflict',
    `release template ${templateRef} already exists with different contents; templates are immutable`,
    {
      details: { templateRef },
    },
  );
}

function sortKeys<T>(values: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

import { stat } from 'node:fs/promises';
import { isValidProcessType } from '@paas/buildpacks';
import { AppError, type ReleaseTemplateInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import type { TemplateRecord } from '../state/records';

export const templateRefFor = (app: string, version: number) => `${app}-v${version}`;

/**
 * Like a launch template version: written once and never changed. The same
 * input again returns the same ref (a retried step); different input for an
 * existing version is a conflict. 0600 because it holds decrypted config vars.
 */
export async function createReleaseTemplate(ctx: LocalContext, input: ReleaseTemplateInput): Promise<{ templateRef: string }> {
  if (!Number.isInteger(input.version) || input.version < 1) throw validationError('version must be a positive integer');
  const processTypes = Object.keys(input.processes);
  if (processTypes.length === 0) throw validationError('a release needs at least one process type');
  for (const type of processTypes) {
    if (!isValidProcessType(type)) throw validationError(`process type "${type}" is not valid`);
  }
  for (const name of Object.keys(input.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw validationError(`config var name "${name}" is not valid`);
  }
  const isImage = await stat(input.imageRef).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isImage) throw validationError(`imageRef "${input.imageRef}" is not an image built by this provider`);

  const templateRef = templateRefFor(input.app, input.version);
  const path = ctx.layout.template(templateRef);
  const record: TemplateRecord = {
    app: input.app,
    version: input.version,
    imageRef: input.imageRef,
    processes: sortKeys(input.processes),
    env: sortKeys(input.env),
    instanceSize: input.instanceSize,
  };
  if (await createJsonOnce(path, record, 0o600)) return { templateRef };

  const existing = await readJsonFile<TemplateRecord>(path);
  if (existing !== null && JSON.stringify(normalize(existing)) === JSON.stringify(record)) return { templateRef };
  throw new AppError(
    'conflict',
    `release template ${templateRef} already exists with different contents; templates are immutable`,
    {
      details: { templateRef },
    },
  );
}

function normalize(record: TemplateRecord): TemplateRecord {
  return { ...record, processes: sortKeys(record.processes), env: sortKeys(record.env) };
}

function sortKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

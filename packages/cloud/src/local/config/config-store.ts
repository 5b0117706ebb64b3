import { rm } from 'node:fs/promises';
import { AppError, type ConfigInput, notFound, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames, parseConfigRef } from '../names';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import type { ConfigRecord } from '../state/records';

// The local secrets store: one file per config snapshot, sealed with the
// provider's key (AES-256-GCM) and readable by the platform's user only. The
// supervisor opens it when it starts a process and hands the values to that
// process alone, as SSM SecureString parameters reach an instance on AWS.

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function putConfig(ctx: LocalContext, input: ConfigInput): Promise<{ configRef: string }> {
  const box = requireBox(ctx);
  if (!Number.isInteger(input.version) || input.version < 0) throw validationError('config version must be a whole number');
  for (const key of Object.keys(input.vars)) {
    if (!KEY.test(key)) throw validationError(`config var name "${key}" is not valid`);
  }
  const configRef = localNames.config(input.app.id, input.version);
  const path = ctx.layout.config(input.app.id, input.version);
  const sorted = JSON.stringify(Object.fromEntries(Object.entries(input.vars).sort(([a], [b]) => (a < b ? -1 : 1))));
  const record: ConfigRecord = {
    appId: input.app.id,
    version: input.version,
    sealed: Buffer.from(box.seal(sorted)).toString('base64'),
  };
  if (await createJsonOnce(path, record, 0o600)) return { configRef };
  // Written before (a retried step): the same snapshot is fine, other values are not.
  if (JSON.stringify(await readConfig(ctx, configRef)) === sorted) return { configRef };
  throw new AppError('conflict', `config v${input.version} of ${input.app.name} already exists with other values`, {
    details: { configRef },
  });
}

export async function readConfig(ctx: LocalContext, configRef: string): Promise<Record<string, string>> {
  const parsed = parseConfigRef(configRef);
  if (parsed === null) throw notFound('config', configRef);
  const record = await readJsonFile<ConfigRecord>(ctx.layout.config(parsed.appId, parsed.version));
  if (record === null) throw notFound('config', configRef);
  return JSON.parse(requireBox(ctx).open(Buffer.from(record.sealed, 'base64'))) as Record<string, string>;
}

export async function deleteConfig(ctx: LocalContext, configRef: string): Promise<void> {
  const parsed = parseConfigRef(configRef);
  if (parsed === null) return;
  await rm(ctx.layout.config(parsed.appId, parsed.version), { force: true });
}

function requireBox(ctx: LocalContext) {
  if (ctx.configBox === null) throw new AppError('internal', 'the local provider was created without a config key');
  return ctx.configBox;
}

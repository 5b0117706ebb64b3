import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AppError, type ConfigInput, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { appTags, tagList } from '../tags';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Advanced parameters hold 8 KB; Intelligent-Tiering picks standard (free) below 4 KB.
const MAX_BYTES = 8192;

const canonical = (vars: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(vars).sort(([a], [b]) => a.localeCompare(b))));

/**
 * One SecureString parameter per config version, under the app's path, read
 * by the app's instances at boot with the instance role (never in user data).
 * Written once: the same values again are fine, other values a conflict.
 */
export async function putConfig(ctx: AwsContext, input: ConfigInput): Promise<{ configRef: string }> {
  const bad = Object.keys(input.vars).filter((k) => !NAME.test(k));
  if (bad.length > 0) throw validationError(`config var names must be letters, digits and _: ${bad.join(', ')}`);
  const value = canonical(input.vars);
  if (Buffer.byteLength(value) > MAX_BYTES) {
    throw validationError(`the config vars take ${Buffer.byteLength(value)} bytes; AWS Parameter Store holds ${MAX_BYTES}`);
  }
  const name = awsNames.configParameter(input.app.id, input.version);
  try {
    await ctx.clients.ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: 'SecureString',
        Tier: 'Intelligent-Tiering',
        Overwrite: false,
        Description: `config v${input.version} of ${input.app.name}`,
        Tags: tagList(appTags(input.app)),
      }),
    );
    return { configRef: name };
  } catch (error) {
    if (!isAwsError(error, 'ParameterAlreadyExists')) throw toAppError(error, 'PutParameter (config)');
  }
  const stored = await ctx.clients.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })).catch((error) => {
    throw toAppError(error, 'GetParameter (config)');
  });
  if (stored.Parameter?.Value !== value) {
    throw new AppError('conflict', `config v${input.version} of ${input.app.name} is already stored with other values`);
  }
  return { configRef: name };
}

export async function deleteConfig(ctx: AwsContext, configRef: string): Promise<void> {
  try {
    await ctx.clients.ssm.send(new DeleteParameterCommand({ Name: configRef }));
  } catch (error) {
    if (!isAwsError(error, 'ParameterNotFound')) throw toAppError(error, 'DeleteParameter (config)');
  }
}

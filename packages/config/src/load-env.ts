import type { z } from 'zod';

export class EnvError extends Error {
  constructor(
    readonly processName: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `Invalid environment for the ${processName}:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}\n` +
        'Set them in the environment (see README, "Configuration").',
    );
    this.name = 'EnvError';
  }
}

/** Parses once at boot; every problem is listed, each naming its variable. */
export function loadEnv<S extends z.ZodObject>(
  processName: string,
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = source[key];
    input[key] = v === '' ? undefined : v;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?');
    const missing = input[variable] === undefined;
    return { variable, message: missing ? `is required: ${issue.message}` : issue.message };
  });
  throw new EnvError(processName, problems);
}

import { parseArgs } from 'node:util';
import { usageError } from './errors.js';

// Every option any command takes. Options may come before or after the
// command (`paas -a web ps` and `paas ps -a web` are the same); each command
// then accepts only the ones it lists.
export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  json: { type: 'boolean' },
  api: { type: 'string' },
  app: { type: 'string', short: 'a' },
  confirm: { type: 'string' },
  repo: { type: 'string' },
  branch: { type: 'string' },
  ref: { type: 'string' },
  detach: { type: 'boolean' },
  tail: { type: 'boolean', short: 't' },
  num: { type: 'string', short: 'n' },
  email: { type: 'string' },
  team: { type: 'string' },
  remote: { type: 'string', short: 'r' },
  min: { type: 'string' },
  max: { type: 'string' },
  cpu: { type: 'string' },
  requests: { type: 'string' },
  off: { type: 'boolean' },
  window: { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'json', 'api'];

export interface ParsedArgs {
  command: string | null;
  args: string[];
  options: {
    help?: boolean;
    version?: boolean;
    json?: boolean;
    api?: string;
    app?: string;
    confirm?: string;
    repo?: string;
    branch?: string;
    ref?: string;
    detach?: boolean;
    tail?: boolean;
    num?: string;
    email?: string;
    team?: string;
    remote?: string;
    min?: string;
    max?: string;
    cpu?: string;
    requests?: string;
    off?: boolean;
    window?: string;
  };
  /** The options given, as typed (`--app`, `-n`), for messages. */
  given: OptionName[];
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const parse = () => parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw usageError(`${message.replace(/\.\s*To specify a positional argument.*$/s, '')}\nSee \`paas --help\`.`);
  }
  const [command, ...args] = parsed.positionals;
  const given = [
    ...new Set(parsed.tokens.filter((t) => t.kind === 'option').map((t) => (t as { name: string }).name as OptionName)),
  ];
  return { command: command ?? null, args, options: parsed.values, given };
}

/** Fails with a usage error when an option was given that `command` does not take. */
export function ensureOptions(command: string, given: readonly OptionName[], accepted: readonly OptionName[]): void {
  for (const name of given) {
    if (!GLOBAL_OPTIONS.includes(name) && !accepted.includes(name)) {
      throw usageError(`\`paas ${command}\` does not take --${name}. See \`paas ${command} --help\`.`);
    }
  }
}

/** `KEY=value` → [KEY, value] (the value may contain `=`); a usage error otherwise. */
export function splitAssignment(arg: string, what: string): [string, string] {
  const at = arg.indexOf('=');
  if (at <= 0) throw usageError(`expected ${what}, got "${arg}"`);
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/** `v3` or `3` → 3. */
export function parseVersion(arg: string): number {
  const match = /^v?(\d{1,9})$/i.exec(arg.trim());
  if (!match) throw usageError(`expected a release such as v3 (or 3), got "${arg}"`);
  return Number(match[1]);
}

/**
 * `web=3`, `web=3:large`, `web=large` → what the formation endpoint takes.
 * The numbers and sizes themselves are the server's to judge.
 */
export function parseScale(arg: string): { type: string; quantity?: number; size?: string } {
  const [type, value] = splitAssignment(arg, 'TYPE=QUANTITY[:SIZE], e.g. web=2');
  if (value === '') throw usageError(`expected TYPE=QUANTITY[:SIZE], e.g. web=2, got "${arg}"`);
  const [first, second, ...rest] = value.split(':');
  if (rest.length > 0) throw usageError(`expected TYPE=QUANTITY[:SIZE], e.g. web=2:large, got "${arg}"`);
  // Anything numeric is a quantity (the server says whether it is a valid one), the rest a size.
  const number = (s: string) => (/^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : null);
  if (second !== undefined) {
    const quantity = number(first as string);
    if (quantity === null || second === '') throw usageError(`expected TYPE=QUANTITY:SIZE, e.g. web=2:large, got "${arg}"`);
    return { type, quantity, size: second };
  }
  const quantity = number(first as string);
  return quantity === null ? { type, size: first as string } : { type, quantity };
}

export interface Autoscaling {
  metric: 'cpu' | 'requests';
  target: number;
  min: number;
  max: number;
}

/**
 * `--min N --max N (--cpu PCT | --requests N)` → the policy the formation
 * endpoint takes; `--off` → null (back to a fixed quantity). Which options go
 * together is checked here; the numbers are the server's to judge (ranges,
 * whole numbers, requests for web only), so its message says what is allowed.
 */
export function parseAutoscale(options: ParsedArgs['options']): Autoscaling | null {
  const { min, max, cpu, requests, off } = options;
  if (off) {
    const extra = (['min', 'max', 'cpu', 'requests'] as const).filter((k) => options[k] !== undefined);
    if (extra.length > 0) {
      throw usageError(
        `--off takes no ${extra.map((k) => `--${k}`).join(', ')}: it goes back to a fixed quantity (\`paas ps:scale\` sets it)`,
      );
    }
    return null;
  }
  if (cpu !== undefined && requests !== undefined)
    throw usageError('give --cpu or --requests, not both (one metric per process type)');
  if (cpu === undefined && requests === undefined) {
    throw usageError('give --cpu PCT or --requests N (with --min N --max N) to autoscale, or --off to stop');
  }
  if (min === undefined || max === undefined) {
    throw usageError('autoscaling needs --min N and --max N: the fewest and the most instances to run');
  }
  const number = (value: string, what: string, percent = false) => {
    // `--cpu 60%` reads as 60: the target is a percentage anyway.
    const text = percent ? value.trim().replace(/\s*%$/, '') : value.trim();
    if (!/^[+-]?\d+(\.\d+)?$/.test(text)) throw usageError(`${what} takes a number, got "${value}"`);
    return Number(text);
  };
  return {
    metric: cpu !== undefined ? 'cpu' : 'requests',
    target: cpu !== undefined ? number(cpu, '--cpu', true) : number(requests as string, '--requests'),
    min: number(min, '--min'),
    max: number(max, '--max'),
  };
}

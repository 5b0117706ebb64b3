import { Api, normalizeApiUrl } from './api.js';
import type { OptionName, ParsedArgs } from './args.js';
import { type Credentials, loadCredentials } from './credentials.js';
import { notSignedIn, usageError } from './errors.js';
import { appFromRemoteUrl, paasRemoteUrl } from './git-remote.js';
import type { Output } from './output.js';

export const DEFAULT_API_URL = 'http://localhost:3000';

/** What a command runs with: its arguments, where to print, the API, and which app. */
export interface Context {
  /** The command as typed (`apps:create`). */
  command: string;
  args: string[];
  options: ParsedArgs['options'];
  out: Output;
  env: NodeJS.ProcessEnv;
  /** The platform: --api, else PAAS_API_URL, else the one logged in to, else http://localhost:3000. */
  apiUrl: string;
  stored: Credentials | null;
  /** The API with the caller's token (PAAS_TOKEN, else the stored one); not signed in → exit 3. */
  api(): Api;
  /** The API without a token (sign-in). */
  anonymousApi(): Api;
  /** The app: -a, else PAAS_APP, else the `paas` git remote of this directory; else a usage error. */
  app(): string;
  /** Aborted by Ctrl-C: streams end quietly. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  description?: string;
  examples: string[];
  options?: OptionName[];
  /** How many arguments after the command it takes. */
  args: { min: number; max: number };
  run(ctx: Context): Promise<number | undefined>;
}

export function createContext(
  command: string,
  parsed: ParsedArgs,
  out: Output,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Context {
  const stored = loadCredentials(env);
  const apiUrl = normalizeApiUrl(parsed.options.api || env.PAAS_API_URL || stored?.apiUrl || DEFAULT_API_URL);
  return {
    command,
    args: parsed.args,
    options: parsed.options,
    out,
    env,
    apiUrl,
    stored,
    signal,
    api() {
      if (env.PAAS_TOKEN) return new Api(apiUrl, env.PAAS_TOKEN.trim(), 'env');
      if (stored && stored.apiUrl === apiUrl) return new Api(apiUrl, stored.token, 'stored');
      // A token is only ever sent to the platform that made it.
      if (stored)
        throw notSignedIn(`not signed in to ${apiUrl} (you are to ${stored.apiUrl}): run \`paas login --api ${apiUrl}\``);
      throw notSignedIn('not signed in: run `paas login` (or set PAAS_TOKEN)');
    },
    anonymousApi: () => new Api(apiUrl, null),
    app() {
      const named = parsed.options.app ?? env.PAAS_APP;
      if (named !== undefined) {
        if (named.trim() === '') throw usageError('-a/--app needs an app name');
        return named.trim();
      }
      const remote = paasRemoteUrl();
      const fromRemote = remote ? appFromRemoteUrl(remote) : null;
      if (fromRemote) return fromRemote;
      throw usageError(
        remote
          ? // Not the URL itself: a remote can carry a token.
            'the `paas` git remote is not an app repository (<platform>/git/<app>.git): pass -a NAME'
          : `no app given: pass -a NAME (or run \`paas ${command}\` in a checkout with a \`paas\` git remote)`,
      );
    },
  };
}

// Exit codes scripts can rely on. `paas --help` and the README list them.
export const EXIT = {
  ok: 0,
  /** The server failed (5xx), a deployment failed, or the network did. */
  failed: 1,
  /** Bad arguments, an unknown command, no app given. */
  usage: 2,
  /** Not signed in, or the token is invalid, revoked or expired (401). */
  unauthorized: 3,
  /** The role of the token may not do this (403). */
  forbidden: 4,
  /** No such app, release, domain… (404). */
  notFound: 5,
  /** The server refused the input, or it conflicts with what exists (400/409/413/422). */
  refused: 6,
  /** Too many requests (429). */
  rateLimited: 7,
  /** Stopped with Ctrl-C before it finished (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports and exits with: its message is for people, `code` for `--json`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code: string = 'failed',
    readonly extra: { status?: number; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage, 'usage');

export const notSignedIn = (message: string) => new CliError(message, EXIT.unauthorized, 'unauthorized');

/** The exit code for an HTTP status the API answered with. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401) return EXIT.unauthorized;
  if (status === 403) return EXIT.forbidden;
  if (status === 404) return EXIT.notFound;
  if (status === 400 || status === 409 || status === 413 || status === 422) return EXIT.refused;
  if (status === 429) return EXIT.rateLimited;
  return EXIT.failed;
}

// Errors carry a stable code; the HTTP edge maps codes to statuses and the job
// runner decides from `retryable` whether a retry can help.
export const ErrorCodes = [
  'validation_failed',
  'malformed_request',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'bad_signature',
  'not_found',
  'conflict',
  'build_failed',
  'build_timeout',
  /** The release's image was deleted by the provider's disk housekeeping: deploy its commit again. */
  'image_reclaimed',
  'step_timeout',
  'canceled',
  'superseded',
  'health_check_failed',
  'health_check_timeout',
  'cloud_throttled',
  'cloud_unavailable',
  'cloud_failed',
  'github_unavailable',
  'github_refused',
  'internal',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  retryable?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryable =
      options.retryable ?? (code === 'cloud_throttled' || code === 'cloud_unavailable' || code === 'github_unavailable');
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const validationError = (message: string, details?: Record<string, unknown>) =>
  new AppError('validation_failed', message, details ? { details } : {});

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} "${id}" does not exist`, { details: { [what]: id } });

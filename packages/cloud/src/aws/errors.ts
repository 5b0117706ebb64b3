import { AppError, isAppError } from '@paas/core';

// AWS errors, turned into the platform's coded errors at the provider's edge:
// a person can act on a missing permission or a bad value; throttling and
// outages are retried by the engine; nothing else is guessed at.
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'PriorRequestNotComplete',
  'RequestThrottled',
  'RequestThrottledException',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
]);
const INVALID = new Set([
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidParameter',
  'ValidationError',
  'ValidationException',
  'InvalidInstanceType',
  'Unsupported',
  'InvalidAMIID.Malformed',
  'InvalidAMIID.NotFound',
  'InvalidAMIID.Unavailable',
  'InvalidSubnetID.NotFound',
  'InvalidVpcID.NotFound',
  'InvalidDomainValidationOptionsException',
  'InvalidParameterException',
]);

export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  const name = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : undefined;
  return name ?? (typeof e.code === 'string' ? e.code : undefined);
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** The platform's error for an AWS failure of `what` (e.g. "RunInstances"). */
export function toAppError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  const requestId = (error as { $metadata?: { requestId?: string } } | null)?.$metadata?.requestId;
  const name = awsErrorName(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (THROTTLING.has(name)) {
    return new AppError('cloud_throttled', `AWS is throttling ${what}; it is retried with backoff`, {
      details: { awsRequestId: requestId },
    });
  }
  if (DENIED.has(name)) {
    return new AppError(
      'cloud_failed',
      `AWS refused ${what} (${name}): the platform's role lacks a permission. Attach the policy from the platform's AWS account template. ${message}`,
      { details: { awsError: name, awsRequestId: requestId } },
    );
  }
  if (INVALID.has(name)) {
    return new AppError('validation_failed', `AWS rejected ${what}: ${message}`, {
      details: { awsError: name, awsRequestId: requestId },
    });
  }
  const status = httpStatus(error);
  if (status !== undefined && status >= 500) {
    return new AppError('cloud_unavailable', `AWS failed ${what} (${name}, HTTP ${status}); retrying`, {
      details: { awsRequestId: requestId },
    });
  }
  if (status === undefined && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|EAI_AGAIN/.test(message)) {
    return new AppError('cloud_unavailable', `AWS could not be reached for ${what}: ${message}`, {
      details: { awsRequestId: requestId },
    });
  }
  return new AppError('cloud_failed', `AWS failed ${what} (${name}): ${message}`, {
    details: { awsError: name, awsRequestId: requestId },
  });
}

export function isThrottlingName(name: string | undefined): boolean {
  return name !== undefined && THROTTLING.has(name);
}

import type { ErrorCode } from './errors';

/** The HTTP status each error code answers with, at every HTTP edge (dashboard, API, webhook receiver). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  malformed_request: 400,
  payload_too_large: 413,
  unauthorized: 401,
  bad_signature: 401,
  forbidden: 403,
  rate_limited: 429,
  not_found: 404,
  conflict: 409,
  build_failed: 422,
  build_timeout: 504,
  image_reclaimed: 410,
  step_timeout: 504,
  canceled: 409,
  superseded: 409,
  health_check_failed: 502,
  health_check_timeout: 504,
  cloud_throttled: 503,
  cloud_unavailable: 503,
  cloud_failed: 502,
  github_unavailable: 503,
  github_refused: 502,
  internal: 500,
};

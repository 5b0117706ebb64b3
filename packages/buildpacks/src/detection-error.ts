/** The source tree cannot be built as it is; retrying will not help, a commit will. */
export class DetectionError extends Error {
  readonly code = 'detection_failed' as const;

  constructor(message: string) {
    super(message);
    this.name = 'DetectionError';
  }
}

export function isDetectionError(error: unknown): error is DetectionError {
  return error instanceof DetectionError;
}

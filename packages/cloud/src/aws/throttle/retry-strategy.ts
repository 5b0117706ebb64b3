// How the SDK retries a failed AWS call. Throttling is retried patiently with
// exponential backoff and full jitter (so workers that were throttled together
// do not come back together); network faults and AWS 5xx a few times; nothing
// else, since retrying a bad request repeats it. Shaped like the SDK's
// RetryStrategyV2, which the clients accept as `retryStrategy`.
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

interface RetryErrorInfo {
  errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

export interface RetryPolicy {
  throttleRetries: number;
  faultRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Off in tests on moto, which answers an action it lacks with a 500: retrying only slows the failure. */
  retryServerErrors: boolean;
  onThrottled?: () => void;
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  throttleRetries: 10,
  faultRetries: 3,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  retryServerErrors: true,
};

const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });

export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

export function platformRetryStrategy(policy: RetryPolicy) {
  return {
    mode: 'standard',
    async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
      return token(0, 0);
    },
    async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
      const retry = previous.getRetryCount() + 1;
      const limit =
        info.errorType === 'THROTTLING'
          ? policy.throttleRetries
          : info.errorType === 'TRANSIENT' || (info.errorType === 'SERVER_ERROR' && policy.retryServerErrors)
            ? policy.faultRetries
            : 0;
      if (retry > limit) throw new Error('no more retries');
      if (info.errorType === 'THROTTLING') policy.onThrottled?.();
      return token(retry, backoffDelay(policy, retry));
    },
    recordSuccess(_token: RetryToken): void {},
  };
}

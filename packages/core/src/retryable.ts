import { isAppError } from './errors';

// Which faults a retry can fix: the database, Redis or the network being away
// for a moment, a cloud API throttling us. Everything else is a fact about the
// input or the code, and retrying it only repeats the failure.

// Prisma: can't reach, timed out, server closed the connection, pool timeout,
// no connection for a transaction in time, transaction conflict or deadlock.
const PRISMA_TRANSIENT = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
const DRIVER_TRANSIENT = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);
const NODE_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// ioredis, when Redis is down and the offline queue is off (producers fail fast).
const REDIS_TRANSIENT = [
  /Connection is closed/,
  /enableOfflineQueue options is false/,
  /MaxRetriesPerRequestError/,
  /Reached the max retries/,
];

export function isRetryableError(error: unknown): boolean {
  if (isAppError(error)) return error.retryable;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    message?: unknown;
    cause?: unknown;
    name?: unknown;
  };
  if (typeof e.code === 'string' && (PRISMA_TRANSIENT.has(e.code) || NODE_TRANSIENT.has(e.code))) return true;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && DRIVER_TRANSIENT.has(kind)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message === 'string' && REDIS_TRANSIENT.some((re) => re.test(e.message as string))) return true;
  return e.cause !== undefined && e.cause !== error && isRetryableError(e.cause);
}

/**
 * Named conditions for the consumer's retry policy. A transient failure (database or
 * broker unreachable, a serialisation conflict) is retried with backoff without skipping
 * anything; anything else is a fault of the message or the code, and is isolated.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
]);

const TRANSIENT_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection is not established|socket hang up/i;

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & { code?: string; retriable?: boolean; driverError?: unknown; cause?: unknown };
  if (candidate.retriable === true) return true;
  if (candidate.name.startsWith('KafkaJS') && candidate.name !== 'KafkaJSNonRetriableError') return true;
  if (candidate.code && TRANSIENT_CODES.has(candidate.code)) return true;
  if (TRANSIENT_MESSAGES.test(candidate.message)) return true;
  return isTransient(candidate.driverError) || isTransient(candidate.cause);
}

export function hasReachedMaxAttempts(attempt: number, maxAttempts: number): boolean {
  return attempt >= maxAttempts;
}

/** Exponential backoff with full jitter, so restarted consumers do not retry in lockstep. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

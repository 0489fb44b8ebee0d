/**
 * Whether a failure is the database's or the broker's for now (unreachable, restarting, a
 * serialisation conflict), not the request's or the code's: consumers retry it with backoff, the
 * HTTP edge answers it with a 503. Judged by error class, code and driver text, so no driver is
 * imported.
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
  '57014', // query_canceled: DATABASE_STATEMENT_TIMEOUT_MS ended a stuck statement; the retry may find it free
  '25P03', // idle_in_transaction_session_timeout: the session was ended, the transaction rolled back
]);

const TRANSIENT_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection is not established|socket hang up/i;

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & { code?: string; retriable?: boolean; driverError?: unknown; cause?: unknown };
  if (candidate.retriable === true) return true;
  // kafkajs marks a permanent failure (an unauthorised topic, a record too large) retriable: false
  // and wraps its KafkaJS* cause, which the name rule and the recursion below would call transient.
  if (candidate.retriable === false) return false;
  if (candidate.name.startsWith('KafkaJS') && candidate.name !== 'KafkaJSNonRetriableError') return true;
  if (candidate.code && TRANSIENT_CODES.has(candidate.code)) return true;
  // TypeORM releases a query runner whose connection failed (the server ended the session, e.g.
  // idle_in_transaction_session_timeout); the transaction's next statement then reports this.
  if (candidate.name === 'QueryRunnerAlreadyReleasedError') return true;
  if (TRANSIENT_MESSAGES.test(candidate.message)) return true;
  return isTransient(candidate.driverError) || isTransient(candidate.cause);
}

/** The session limits' codes: a statement or transaction the server ended for running too long. */
const SESSION_LIMIT_CODES = new Set(['57014', '25P03']);

/**
 * Whether a transient failure is one of the session's limits (DATABASE_STATEMENT_TIMEOUT_MS, the
 * idle-in-transaction timeout, or the query runner TypeORM released after the latter): unlike an
 * outage it may be the work's own fault — a slice whose statement is slow every time — so the
 * consumer counts it against the slice's attempts once it repeats (see countsAsAttempt).
 */
export function endedBySessionLimit(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const candidate = current as Error & { code?: string; driverError?: unknown; cause?: unknown };
    if (candidate.name === 'QueryRunnerAlreadyReleasedError') return true;
    if (candidate.code && SESSION_LIMIT_CODES.has(candidate.code)) return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}

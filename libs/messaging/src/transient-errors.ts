/**
 * Named conditions for the consumer's retry policy. A transient failure (isTransient, in
 * libs/domain: the HTTP edge answers it with a 503) is retried with backoff without skipping
 * anything; anything else is a fault of the message or the code, and is isolated.
 */
export function hasReachedMaxAttempts(attempt: number, maxAttempts: number): boolean {
  return attempt >= maxAttempts;
}

/** Exponential backoff with full jitter, so restarted consumers do not retry in lockstep. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

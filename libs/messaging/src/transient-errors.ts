import { endedBySessionLimit, isTransient } from '@app/domain';

/**
 * Named conditions for the consumer's retry policy. A transient failure (isTransient, in
 * libs/domain: the HTTP edge answers it with a 503) is retried with backoff without skipping
 * anything; anything else is a fault of the message or the code, and is isolated.
 */
/**
 * How many times in a row a slice may be ended by a session limit (a statement timeout, the
 * idle-in-transaction timeout) before each further such failure spends one of its attempts.
 */
export const FREE_SESSION_LIMIT_RETRIES = 3;

/**
 * Whether a failure is the event's (or the code's) and so spends one of its attempts. An outage
 * (the database or broker away, a conflict) never does, however long. A session limit is
 * transient at first (the slow statement may have waited on someone else's lock), but one that
 * ends the slice every time is a poison slice: past FREE_SESSION_LIMIT_RETRIES in a row
 * (`sessionLimitsInARow` counts this one), it spends attempts, so the slice is handled message
 * by message and its poison event dead-lettered instead of blocking its partition forever.
 */
export function countsAsAttempt(error: unknown, sessionLimitsInARow = 0): boolean {
  if (!isTransient(error)) return true;
  return endedBySessionLimit(error) && sessionLimitsInARow > FREE_SESSION_LIMIT_RETRIES;
}

export function hasReachedMaxAttempts(attempt: number, maxAttempts: number): boolean {
  return attempt >= maxAttempts;
}

/** Exponential backoff with full jitter, so restarted consumers do not retry in lockstep. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** The group's errors that mean this consumer no longer owns its partitions as it knew them. */
const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

/**
 * A refused offset commit that no retry can make succeed: the group is rebalancing, so the
 * slice is given up for kafkajs to rejoin (the partition's next owner redoes it, harmlessly).
 * kafkajs wraps the broker's error in its retrier's, so the causes are searched too.
 */
export function meansRebalance(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (REBALANCE_TYPES.has(String((current as { type?: unknown }).type))) return true;
  }
  return false;
}

/** The broker's refusals of a record batch for its size: permanent for that batch (kafkajs would retry it as if transient). */
const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
/** kafkajs' texts for the two, kept when its retrier wraps the error without its type. */
const TOO_LARGE_MESSAGES = /message larger than the max message size|message batch larger than the configured segment size/i;

/** A send the broker refused as too large: sending it again unchanged can never succeed. */
export function meansTooLarge(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (TOO_LARGE_TYPES.has(String((current as { type?: unknown }).type)) || TOO_LARGE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

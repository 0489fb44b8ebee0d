import { endedBySessionLimit, isTransient } from '@app/domain';
import { backoffDelay, countsAsAttempt, FREE_SESSION_LIMIT_RETRIES, hasReachedMaxAttempts, meansRebalance } from './transient-errors';

describe('consumer retry policy', () => {
  it('treats lost connections and conflicts as transient', () => {
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('x'), { code: '40001' }) }))).toBe(true);
    expect(isTransient(Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' }))).toBe(true);
  });

  it('treats a statement cancelled by the statement timeout, and a session ended idle in a transaction, as transient: they spend no attempt at first, then do when they repeat', () => {
    const timedOut = Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) });
    const idle = Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' });
    const released = Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), { name: 'QueryRunnerAlreadyReleasedError' });
    for (const error of [timedOut, idle, released]) {
      expect(isTransient(error)).toBe(true);
      expect(endedBySessionLimit(error)).toBe(true);
      expect(countsAsAttempt(error)).toBe(false);
      expect(countsAsAttempt(error, FREE_SESSION_LIMIT_RETRIES)).toBe(false);
      expect(countsAsAttempt(error, FREE_SESSION_LIMIT_RETRIES + 1)).toBe(true);
    }
    // An outage never counts, however long it lasts.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(endedBySessionLimit(refused)).toBe(false);
    expect(countsAsAttempt(refused, 1000)).toBe(false);
    expect(countsAsAttempt(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(true);
  });

  it('treats a failure kafkajs marks not retriable as permanent, whatever KafkaJS error it wraps', () => {
    const cause = Object.assign(new Error('The server experienced an unexpected error'), { name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false });
    const wrapped = Object.assign(new Error('Not authorized to access topics'), { name: 'KafkaJSNonRetriableError', retriable: false, cause });
    expect(isTransient(wrapped)).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { name: 'KafkaJSNonRetriableError', retriable: false, cause: Object.assign(new Error('broker'), { name: 'KafkaJSConnectionError' }) }))).toBe(false);
    expect(countsAsAttempt(wrapped)).toBe(true);
  });

  it('treats programming faults and bad data as not transient', () => {
    expect(isTransient(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isTransient(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isTransient('not an error')).toBe(false);
  });

  it('backs off exponentially within bounds', () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      const delay = backoffDelay(attempt, 100, 5000);
      expect(delay).toBeGreaterThanOrEqual(Math.min(5000, 100 * 2 ** (attempt - 1)) / 2);
      expect(delay).toBeLessThanOrEqual(5000);
    }
    expect(hasReachedMaxAttempts(3, 3)).toBe(true);
    expect(hasReachedMaxAttempts(2, 3)).toBe(false);
  });

  it('recognises a rebalance behind kafkajs retrier errors, and nothing else as one', () => {
    const rebalancing = Object.assign(new Error('The group is rebalancing'), { name: 'KafkaJSProtocolError', type: 'REBALANCE_IN_PROGRESS' });
    expect(meansRebalance(rebalancing)).toBe(true);
    expect(meansRebalance(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: rebalancing }))).toBe(true);
    expect(meansRebalance(Object.assign(new Error('not coordinator'), { type: 'NOT_COORDINATOR_FOR_GROUP' }))).toBe(false);
    expect(meansRebalance(Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError' }))).toBe(false);
    expect(meansRebalance('REBALANCE_IN_PROGRESS')).toBe(false);
  });
});

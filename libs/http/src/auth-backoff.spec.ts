import { AuthBackoff } from './auth-backoff';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';

describe('AuthBackoff', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('lets an address fail a few times freely, then makes it wait 1 s, 2 s, 4 s… up to the maximum', () => {
    const backoff = new AuthBackoff({ freeFailures: 3, maxSeconds: 10 }, clock);
    expect([1, 2, 3].map(() => backoff.failed('10.0.0.1'))).toEqual([0, 0, 0]);
    expect(backoff.retryAfterSeconds('10.0.0.1')).toBe(0);
    const waits = [1, 2, 3, 4, 5].map(() => {
      const wait = backoff.failed('10.0.0.1');
      now += wait * 1000;
      return wait;
    });
    expect(waits).toEqual([1, 2, 4, 8, 10]);
  });

  it('counts the wait down, and keeps other addresses out of it', () => {
    const backoff = new AuthBackoff({ freeFailures: 1, maxSeconds: 60 }, clock);
    backoff.failed('10.0.0.1');
    backoff.failed('10.0.0.1');
    backoff.failed('10.0.0.1');
    expect(backoff.retryAfterSeconds('10.0.0.1')).toBe(2);
    now += 1500;
    expect(backoff.retryAfterSeconds('10.0.0.1')).toBe(1);
    expect(backoff.retryAfterSeconds('10.0.0.2')).toBe(0);
    expect(backoff.waiting()).toBe(1);
  });

  it('starts afresh after a success, or after a quiet spell as long as the maximum wait', () => {
    const backoff = new AuthBackoff({ freeFailures: 1, maxSeconds: 60 }, clock);
    backoff.failed('a');
    expect(backoff.failed('a')).toBe(1);
    backoff.succeeded('a');
    expect(backoff.retryAfterSeconds('a')).toBe(0);
    expect(backoff.failed('a')).toBe(0);
    expect(backoff.failed('a')).toBe(1);
    now += 61_001 + 1000;
    expect(backoff.failed('a')).toBe(0);
  });

  it('counts a reserved attempt before its check: of attempts reserved at once, those past the first wait are refused uncounted', () => {
    const backoff = new AuthBackoff({ freeFailures: 2, maxSeconds: 60 }, clock);
    // All reserved before any check finishes, as parallel requests would be.
    expect([1, 2, 3, 4, 5].map(() => backoff.reserve('a'))).toEqual([0, 0, 0, 1, 1]);
    now += 1000;
    expect(backoff.reserve('a')).toBe(0);
    expect(backoff.retryAfterSeconds('a')).toBe(2);
  });

  it('takes a released attempt back, ending the wait it began once the count is within the free failures', () => {
    const backoff = new AuthBackoff({ freeFailures: 1, maxSeconds: 60 }, clock);
    expect(backoff.reserve('a')).toBe(0);
    expect(backoff.reserve('a')).toBe(0);
    expect(backoff.retryAfterSeconds('a')).toBe(1);
    backoff.release('a');
    expect(backoff.retryAfterSeconds('a')).toBe(0);
    // The first reservation still counts: the next wrong guess waits again.
    expect(backoff.failed('a')).toBe(1);
    backoff.release('a');
    backoff.release('a');
    backoff.release('a');
    expect(backoff.failed('a')).toBe(0);
  });

  it('remembers a bounded number of addresses, forgetting the least recently failed', () => {
    const backoff = new AuthBackoff({ freeFailures: 0, maxSeconds: 60, maxAddresses: 2 }, clock);
    backoff.failed('a');
    backoff.failed('b');
    backoff.failed('c');
    expect(['a', 'b', 'c'].map((x) => backoff.retryAfterSeconds(x))).toEqual([0, 1, 1]);
  });
});

describe('FixedWindowThrottlerStorage', () => {
  it('counts hits per key and name in fixed windows and says how long a blocked key waits', async () => {
    let now = 0;
    const storage = new FixedWindowThrottlerStorage(() => now);
    const hit = (key: string, name = 'address') => storage.increment(key, 60_000, 2, 60_000, name);
    expect(await hit('a')).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    await hit('a');
    now = 15_000;
    expect(await hit('a')).toEqual({ totalHits: 3, timeToExpire: 45, isBlocked: true, timeToBlockExpire: 45 });
    expect((await hit('b')).isBlocked).toBe(false);
    expect((await hit('a', 'department')).isBlocked).toBe(false);
    now = 60_000;
    expect(await hit('a')).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });
});

import { heartbeatWhileWaiting } from './waiting-heartbeat';

describe('heartbeatWhileWaiting', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Lets the promise callbacks queued by the timers run. */
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it('heartbeats once an interval while the work waits, and stops when it is done', async () => {
    let finish!: (value: string) => void;
    const heartbeat = jest.fn(async () => undefined);
    const waiting = heartbeatWhileWaiting(new Promise<string>((resolve) => (finish = resolve)), heartbeat, { intervalMs: 1000, maxMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      await jest.advanceTimersByTimeAsync(1000);
      await flush();
    }
    expect(heartbeat).toHaveBeenCalledTimes(5);
    finish('stored');
    await expect(waiting).resolves.toBe('stored');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(heartbeat).toHaveBeenCalledTimes(5);
  });

  it('does not heartbeat for work done within an interval', async () => {
    const heartbeat = jest.fn(async () => undefined);
    await expect(heartbeatWhileWaiting(Promise.resolve(1), heartbeat, { intervalMs: 1000, maxMs: 60_000 })).resolves.toBe(1);
    await jest.advanceTimersByTimeAsync(5000);
    expect(heartbeat).not.toHaveBeenCalled();
  });

  it('stops heartbeating after the bound, so a stuck transaction lets the session lapse', async () => {
    const heartbeat = jest.fn(async () => undefined);
    void heartbeatWhileWaiting(new Promise<never>(() => undefined), heartbeat, { intervalMs: 1000, maxMs: 3500 });
    await jest.advanceTimersByTimeAsync(20_000);
    expect(heartbeat).toHaveBeenCalledTimes(3);
  });

  it('goes on waiting and heartbeating when a heartbeat fails (a rebalance), and passes the failure of the work on', async () => {
    let fail!: (error: Error) => void;
    const heartbeat = jest.fn(async () => Promise.reject(Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' })));
    const waiting = heartbeatWhileWaiting(new Promise<string>((_, reject) => (fail = reject)), heartbeat, { intervalMs: 1000, maxMs: 60_000 });
    await jest.advanceTimersByTimeAsync(3000);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    fail(new Error('connection lost'));
    await expect(waiting).rejects.toThrow('connection lost');
  });
});

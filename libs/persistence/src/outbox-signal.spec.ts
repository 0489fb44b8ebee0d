import { OutboxSignal } from './outbox-signal';

describe('OutboxSignal', () => {
  it('wakes a waiting relay at the commit, long before its poll interval', async () => {
    const signal = new OutboxSignal();
    const started = Date.now();
    const woken = signal.next(10_000);
    setTimeout(() => signal.committed(), 20);
    await woken;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not lose a commit that came while the relay was busy: the next wait returns at once', async () => {
    const signal = new OutboxSignal();
    signal.committed();
    const started = Date.now();
    await signal.next(10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('falls back to the poll interval when nothing commits, and the missed flag is spent once', async () => {
    const signal = new OutboxSignal();
    signal.committed();
    await signal.next(10_000);
    const started = Date.now();
    await signal.next(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

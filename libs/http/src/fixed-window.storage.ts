import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  endsAt: number;
}

/**
 * Counts hits per key in fixed windows: one counter per key, O(1) a request. The throttler's
 * bundled in-memory storage keeps a timestamp per hit and filters them all on every request,
 * which at a department's 600,000-a-minute limit would cost more than the request itself.
 * A blocked key waits for the end of its window (blockDuration is not used).
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string) {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now, ttl);
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(id, window);
    }
    window.hits++;
    const timeToExpire = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  /** Forget ended windows once per window length, so idle keys do not accumulate. */
  private sweep(now: number, ttl: number): void {
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
    this.nextSweepAt = now + ttl;
  }
}

export interface AuthBackoffOptions {
  /** Wrong tokens an address may present before it waits. */
  freeFailures: number;
  /** The longest wait; an address quiet this long after its last failure starts afresh. */
  maxSeconds: number;
  /** Addresses remembered at most; the oldest is forgotten first, so a spray of addresses cannot exhaust memory. */
  maxAddresses?: number;
}

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

/**
 * Exponential backoff on failed authentication, per client address: after `freeFailures`
 * wrong tokens, each further one makes the address wait 1 s, 2 s, 4 s… up to `maxSeconds`;
 * a success resets it. While an address waits its tokens are not even checked, so waiting
 * out the backoff is the only way to make another guess.
 */
export class AuthBackoff {
  private readonly addresses = new Map<string, Failures>();

  constructor(
    private readonly options: AuthBackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the address must still wait (rounded up), 0 when it may try. */
  retryAfterSeconds(address: string): number {
    const failures = this.addresses.get(address);
    const left = failures ? failures.blockedUntil - this.now() : 0;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Count a wrong token; returns the seconds the address now waits (0 while within the free failures). */
  failed(address: string): number {
    const now = this.now();
    const previous = this.addresses.get(address);
    const forgotten = previous === undefined || now - Math.max(previous.lastAt, previous.blockedUntil) > this.options.maxSeconds * 1000;
    const count = forgotten ? 1 : previous.count + 1;
    const over = count - this.options.freeFailures;
    const waitSeconds = over > 0 ? Math.min(this.options.maxSeconds, 2 ** Math.min(over - 1, 30)) : 0;
    // Re-inserted so the map's order is least recently failed first.
    this.addresses.delete(address);
    this.addresses.set(address, { count, lastAt: now, blockedUntil: waitSeconds > 0 ? now + waitSeconds * 1000 : 0 });
    this.evictBeyondCapacity();
    return waitSeconds;
  }

  /**
   * Count an attempt before its credentials are checked, so parallel attempts cannot all pass
   * before the first one's failure counts. Returns the seconds still to wait (nothing counted), or
   * 0: the attempt may go ahead and counts as a failure unless `release`d or `succeeded`.
   */
  reserve(address: string): number {
    const wait = this.retryAfterSeconds(address);
    if (wait === 0) this.failed(address);
    return wait;
  }

  /** Take one reserved attempt back (it was no wrong guess); a wait it began ends once the count is within the free failures again. */
  release(address: string): void {
    const failures = this.addresses.get(address);
    if (!failures) return;
    failures.count--;
    if (failures.count <= 0) this.addresses.delete(address);
    else if (failures.count <= this.options.freeFailures) failures.blockedUntil = 0;
  }

  succeeded(address: string): void {
    this.addresses.delete(address);
  }

  /** Addresses currently waiting (credit_http_auth_backoff_waiting_addresses). */
  waiting(): number {
    const now = this.now();
    let count = 0;
    for (const failures of this.addresses.values()) if (failures.blockedUntil > now) count++;
    return count;
  }

  private evictBeyondCapacity(): void {
    const capacity = this.options.maxAddresses ?? 100_000;
    for (const address of this.addresses.keys()) {
      if (this.addresses.size <= capacity) return;
      this.addresses.delete(address);
    }
  }
}

import { Injectable } from '@nestjs/common';

/**
 * Wakes the outbox relay when a transaction that wrote feed records has committed in this
 * process, so a record goes out at once instead of at the relay's next poll. The poll stays as
 * the fallback for what other processes commit (another engine replica, the lifecycle scheduler).
 */
@Injectable()
export class OutboxSignal {
  private waiting: (() => void)[] = [];
  /** A commit came while nobody waited: the next wait returns at once, so no wake-up is lost. */
  private missed = false;

  /** Called after the commit of a transaction that wrote feed records. */
  committed(): void {
    if (this.waiting.length === 0) {
      this.missed = true;
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Resolves at the next commit, or after `timeoutMs` without one; at once if one came since the last wait. */
  next(timeoutMs: number): Promise<void> {
    if (this.missed) {
      this.missed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== wake);
        resolve();
      }, timeoutMs);
      this.waiting.push(wake);
    });
  }
}

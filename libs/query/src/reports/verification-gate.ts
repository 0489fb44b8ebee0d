import { CreditReportError } from './credit-report.errors';

/** How long a refused verifier is asked to wait: one scrypt takes ≈ 50 ms, so the queue is gone well within it. */
export const VERIFICATION_RETRY_AFTER_SECONDS = 1;

/**
 * At most `maxInFlight` verification-code comparisons (scrypt) at once in this process. scrypt runs
 * on libuv's four-thread pool, which file and DNS work share: an open route must not fill it. One
 * more is refused at once (REPORT.VERIFICATION_BUSY, 503 with Retry-After), not queued, so a flood
 * costs nothing but the refusals.
 */
export class VerificationGate {
  private inFlight = 0;

  constructor(private readonly maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`VerificationGate: maxInFlight ${maxInFlight}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) {
      throw new CreditReportError('REPORT.VERIFICATION_BUSY', `${this.maxInFlight} verifications are running; retry after ${VERIFICATION_RETRY_AFTER_SECONDS} second`, {
        retryAfterSeconds: VERIFICATION_RETRY_AFTER_SECONDS,
      });
    }
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }
}

import { AuthBackoff, AuthBackoffOptions } from '@app/http';
import { ConsoleError } from '@app/workbench';

/** Wrong passwords for one name before it waits: 1 s, then twice as long each time, up to five minutes. */
const PER_NAME: AuthBackoffOptions = { freeFailures: 5, maxSeconds: 300 };
/** An address may be a whole office behind one NAT, so it has more before it waits; it still slows one password tried on many names. */
const PER_ADDRESS: AuthBackoffOptions = { freeFailures: 10, maxSeconds: 300 };

/**
 * The sign-in backoff, per name and per address. An attempt is counted before its password is
 * checked (scrypt takes ≈ 0.3 s, and guesses sent in parallel would otherwise all be checked
 * before the first failure counted). A success clears only its own name's count: the address
 * keeps the failures of other names, so one valid account does not reset a guesser's address.
 */
export class SignInThrottle {
  private readonly byName: AuthBackoff;
  private readonly byAddress: AuthBackoff;

  constructor(now: () => number = Date.now) {
    this.byName = new AuthBackoff(PER_NAME, now);
    this.byAddress = new AuthBackoff(PER_ADDRESS, now);
  }

  /** Counts the attempt on both, or throws CONSOLE.SIGN_IN_BACKOFF (counting nothing) while either waits. */
  reserve(name: string, address: string): void {
    const wait = Math.max(this.byName.retryAfterSeconds(name), this.byAddress.retryAfterSeconds(address));
    if (wait > 0) throw new ConsoleError('CONSOLE.SIGN_IN_BACKOFF', `too many wrong passwords; try again in ${wait} s`, { retryAfterSeconds: wait });
    // Both checked before either is counted, and nothing awaits in between: no attempt counts on one and is refused by the other.
    this.byName.reserve(name);
    this.byAddress.reserve(address);
  }

  /** The name starts afresh; the address only takes this attempt back. */
  signedIn(name: string, address: string): void {
    this.byName.succeeded(name);
    this.byAddress.release(address);
  }

  /** The attempt was no guess (malformed, or the check could not run): taken back on both. */
  abandoned(name: string, address: string): void {
    this.byName.release(name);
    this.byAddress.release(address);
  }
}

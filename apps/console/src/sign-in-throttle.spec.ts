import { SignInThrottle } from './sign-in-throttle';

describe('SignInThrottle', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  /** `reserve` as a request would meet it: 'go', or the seconds it is told to wait. */
  const attempt = (throttle: SignInThrottle, name: string, address: string): 'go' | number => {
    try {
      throttle.reserve(name, address);
      return 'go';
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONSOLE.SIGN_IN_BACKOFF' });
      return (error as { context: { retryAfterSeconds: number } }).context.retryAfterSeconds;
    }
  };

  it('counts guesses sent together before any is checked: six for one name go ahead, the rest wait', () => {
    const throttle = new SignInThrottle(clock);
    const answers = Array.from({ length: 10 }, () => attempt(throttle, 'victim', '10.0.0.1'));
    expect(answers).toEqual(['go', 'go', 'go', 'go', 'go', 'go', 1, 1, 1, 1]);
    // The name waits from any address.
    expect(attempt(throttle, 'victim', '10.0.0.2')).toBe(1);
  });

  it("clears only the name's count on its success: the address keeps the failures of the names it guessed", () => {
    const throttle = new SignInThrottle(clock);
    for (const victim of ['a', 'b']) for (let i = 0; i < 5; i++) expect(attempt(throttle, victim, '10.0.0.1')).toBe('go');
    // The guesser's own valid account signs in from the same address…
    expect(attempt(throttle, 'mine', '10.0.0.1')).toBe('go');
    throttle.signedIn('mine', '10.0.0.1');
    // …and the address is still at its ten failures: the next guess goes ahead and the one after waits.
    expect(attempt(throttle, 'c', '10.0.0.1')).toBe('go');
    expect(attempt(throttle, 'd', '10.0.0.1')).toBe(1);
    expect(attempt(throttle, 'd', '10.0.0.9')).toBe('go');
  });

  it("lets a name that signed in start afresh, and takes back an attempt that was no guess", () => {
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 6; i++) expect(attempt(throttle, 'user', `10.0.1.${i}`)).toBe('go');
    expect(attempt(throttle, 'user', '10.0.1.9')).toBe(1);
    now += 1_000;
    expect(attempt(throttle, 'user', '10.0.1.9')).toBe('go');
    throttle.signedIn('user', '10.0.1.9');
    for (let i = 0; i < 6; i++) expect(attempt(throttle, 'user', '10.0.2.1')).toBe('go');
    expect(attempt(throttle, 'user', '10.0.2.1')).toBe(1);

    const other = new SignInThrottle(clock);
    for (let i = 0; i < 20; i++) {
      expect(attempt(other, 'typo', '10.0.3.1')).toBe('go');
      other.abandoned('typo', '10.0.3.1');
    }
  });
});

/** Time is injected so tests can move the clock (expiry, repair minimums, due dates). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

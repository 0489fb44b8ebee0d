/** Injection token for the Clock, so tests can move time. */
export const CLOCK = Symbol('CLOCK');

/**
 * What an error code says about whose move it is, independent of transport: HTTP maps each
 * kind to one status (libs/http/src/error-status.ts). Every error family declares
 * `ErrorKinds<ItsCode>` next to its code union, so a code added without a kind fails the
 * typecheck in the file that adds it instead of becoming a 500 on a request.
 */
export type ErrorKind =
  /** The request or message cannot be read, or one of its parameters is wrong. */
  | 'invalid'
  /** Readable, but its content breaks a rule of its type (a bad check digit, a schema violation). */
  | 'unprocessable'
  | 'too-large'
  /** A body in a media type, charset or content coding the endpoint does not read. */
  | 'unsupported-media-type'
  | 'unauthenticated'
  | 'forbidden'
  /** Absent, or not the caller's to see (no existence oracle). */
  | 'not-found'
  /** Contradicts what is already stored (a reused event id, a second feedback report). */
  | 'conflict'
  /** Refused for now; the caller may try again later. */
  | 'rate-limited'
  /** The database or broker cannot serve just now. */
  | 'unavailable'
  /** Never the caller's fault: a configuration refused at start-up, or an engine fault for operators. */
  | 'internal';

/** The kind of every code of one family: a missing or unknown code is a compile error. */
export type ErrorKinds<Code extends string> = { readonly [C in Code]: ErrorKind };

import { HttpStatus } from '@nestjs/common';
import { CALENDAR_ERROR_KINDS, DEPARTMENT_ERROR_KINDS, ErrorKind, ErrorKinds, EVENT_SCHEMA_ERROR_KINDS, EVENT_VALIDATION_KINDS, REQUEST_ERROR_KINDS } from '@app/domain';
import { COORDINATION_ERROR_KINDS, EVENT_INTAKE_ERROR_KINDS, EXCHANGE_ERROR_KINDS } from '@app/engine';
import { BULLETIN_ERROR_KINDS, COMMITMENT_ERROR_KINDS, COORDINATION_CASE_ERROR_KINDS, CREDIT_CHECK_ERROR_KINDS, CREDIT_REPORT_ERROR_KINDS, DEAD_LETTER_ERROR_KINDS, EVENT_STATUS_ERROR_KINDS, FEEDBACK_ERROR_KINDS, PERFORMANCE_ERROR_KINDS, QUERY_ERROR_KINDS, SUPERVISION_ERROR_KINDS } from '@app/query';
import { CONSUMER_ERROR_KINDS } from '@app/messaging';
import { RELEASE_ERROR_KINDS, RULE_SET_ERROR_KINDS, WHAT_IF_ERROR_KINDS } from '@app/rules';
import { CONSOLE_ERROR_KINDS } from '@app/workbench';
import { HTTP_EDGE_KINDS, HTTP_REFUSAL_KINDS } from './http.errors';

/** The one HTTP status of each kind. Only `internal` is a 500: a configuration refused at start-up, or an engine fault. */
export const KIND_STATUS = {
  invalid: HttpStatus.BAD_REQUEST,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
  'unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'rate-limited': HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
} as const satisfies Record<ErrorKind, HttpStatus>;

/**
 * Every error family's kind map, by family. Each is complete for its own code union (a code
 * without a kind fails the typecheck where the code is added); a family added here is merged
 * into ERROR_KINDS. The README's "Error codes" table is checked against the statuses.
 */
export const ERROR_FAMILIES = {
  request: REQUEST_ERROR_KINDS,
  eventValidation: EVENT_VALIDATION_KINDS,
  eventSchema: EVENT_SCHEMA_ERROR_KINDS,
  department: DEPARTMENT_ERROR_KINDS,
  calendar: CALENDAR_ERROR_KINDS,
  ruleSet: RULE_SET_ERROR_KINDS,
  release: RELEASE_ERROR_KINDS,
  eventIntake: EVENT_INTAKE_ERROR_KINDS,
  exchange: EXCHANGE_ERROR_KINDS,
  coordination: COORDINATION_ERROR_KINDS,
  eventStatus: EVENT_STATUS_ERROR_KINDS,
  creditCheck: CREDIT_CHECK_ERROR_KINDS,
  query: QUERY_ERROR_KINDS,
  feedback: FEEDBACK_ERROR_KINDS,
  commitment: COMMITMENT_ERROR_KINDS,
  supervision: SUPERVISION_ERROR_KINDS,
  bulletin: BULLETIN_ERROR_KINDS,
  coordinationCase: COORDINATION_CASE_ERROR_KINDS,
  creditReport: CREDIT_REPORT_ERROR_KINDS,
  performance: PERFORMANCE_ERROR_KINDS,
  deadLetter: DEAD_LETTER_ERROR_KINDS,
  consumer: CONSUMER_ERROR_KINDS,
  whatIf: WHAT_IF_ERROR_KINDS,
  console: CONSOLE_ERROR_KINDS,
  httpRefusal: HTTP_REFUSAL_KINDS,
  httpEdge: HTTP_EDGE_KINDS,
} as const;

type Families = typeof ERROR_FAMILIES;

/** Every code the engine gives, as declared by its families. */
export type ErrorCode = { [F in keyof Families]: keyof Families[F] & string }[keyof Families];

export const ERROR_KINDS: ErrorKinds<ErrorCode> = Object.freeze(Object.assign({}, ...Object.values(ERROR_FAMILIES)));

export const ERROR_STATUS: { readonly [C in ErrorCode]: HttpStatus } = Object.freeze(
  Object.fromEntries(Object.entries(ERROR_KINDS).map(([code, kind]) => [code, KIND_STATUS[kind]])) as Record<ErrorCode, HttpStatus>,
);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_KINDS, code);
}

/** The status of a declared code: its kind's. */
export function httpStatusFor(code: ErrorCode): HttpStatus {
  return KIND_STATUS[ERROR_KINDS[code]];
}

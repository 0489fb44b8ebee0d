import { HttpStatus } from '@nestjs/common';
import type { DepartmentErrorCode, EventValidationCode, InvalidIdentifierCode } from '@app/domain';
import type { CreditCheckErrorCode, DeadLetterErrorCode, FeedbackErrorCode } from '@app/engine';
import type { HttpRefusalCode } from './http.errors';

/**
 * Every error code the engine gives, with its HTTP status. The README's "Error codes" table
 * is checked against this map, and a test fails when a code in the source has no entry here.
 * Codes marked 500 are never a caller's fault: they stop a boot or describe an engine fault.
 */
export const ERROR_STATUS = {
  // The request itself
  'REQUEST.NOT_FOUND': HttpStatus.NOT_FOUND,
  'REQUEST.INVALID': HttpStatus.BAD_REQUEST,
  'REQUEST.TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
  'REQUEST.BAD_CURSOR': HttpStatus.BAD_REQUEST,
  'REQUEST.BAD_LIMIT': HttpStatus.BAD_REQUEST,
  'REQUEST.BAD_PERIOD': HttpStatus.BAD_REQUEST,
  'REQUEST.BAD_TASK_FILTER': HttpStatus.BAD_REQUEST,
  'REQUEST.INVALID_FEEDBACK': HttpStatus.BAD_REQUEST,
  'REQUEST.RATE_LIMITED': HttpStatus.TOO_MANY_REQUESTS,
  // Credit events: unreadable (400), too large (413), not valid for their type (422), a reused id (409)
  'EVENT.MALFORMED_JSON': HttpStatus.BAD_REQUEST,
  'EVENT.NOT_CLOUDEVENT': HttpStatus.BAD_REQUEST,
  'EVENT.TOO_DEEP': HttpStatus.BAD_REQUEST,
  'EVENT.FORBIDDEN_KEY': HttpStatus.BAD_REQUEST,
  'EVENT.BAD_CHARACTER': HttpStatus.BAD_REQUEST,
  'EVENT.TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
  'EVENT.UNKNOWN_TYPE': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.SCHEMA_VIOLATION': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.SUBJECT_MISMATCH': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.ID_REUSED': HttpStatus.CONFLICT,
  'EVENT.CONDUCT_PAST_LIMIT': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.NOT_SENDER': HttpStatus.FORBIDDEN,
  'EVENT.NOT_FOUND': HttpStatus.NOT_FOUND,
  // Identifiers (统一社会信用代码, 居民身份证号码)
  'SUBJECT.BAD_LENGTH': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.BAD_CHARACTER': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.BAD_CHECK_DIGIT': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.BAD_DIVISION': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.BAD_BIRTH_DATE': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.UNKNOWN_ID_TYPE': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.ID_TYPE_MISMATCH': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.AMBIGUOUS_ID_TYPE': HttpStatus.UNPROCESSABLE_ENTITY,
  // Departments
  'DEPARTMENT.NOT_AUTHENTICATED': HttpStatus.UNAUTHORIZED,
  'DEPARTMENT.AUTH_BACKOFF': HttpStatus.TOO_MANY_REQUESTS,
  'DEPARTMENT.SOURCE_MISMATCH': HttpStatus.FORBIDDEN,
  'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'DEPARTMENT.LIST_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'DEPARTMENT.UNKNOWN': HttpStatus.NOT_FOUND,
  'DEPARTMENT.INVALID_REGISTRY': HttpStatus.INTERNAL_SERVER_ERROR,
  'DEPARTMENT.UNKNOWN_TOKEN': HttpStatus.NOT_FOUND,
  // Management endpoints (/metrics, /docs)
  'MANAGEMENT.NOT_AUTHENTICATED': HttpStatus.UNAUTHORIZED,
  // Credit checks, audit reads, public lists
  'CHECK.UNKNOWN_APPROVAL_ITEM': HttpStatus.BAD_REQUEST,
  'CHECK.MISSING_APPROVAL_ITEM': HttpStatus.BAD_REQUEST,
  'CHECK.BAD_PURPOSE': HttpStatus.BAD_REQUEST,
  'CHECK.USER_ID_REQUIRED': HttpStatus.BAD_REQUEST,
  'CHECK.PURPOSE_REQUIRED': HttpStatus.BAD_REQUEST,
  'CHECK.BURST_REFUSED': HttpStatus.TOO_MANY_REQUESTS,
  'CHECK.INVALID_APPROVAL_ITEMS': HttpStatus.INTERNAL_SERVER_ERROR,
  'AUDIT.BAD_TIME_RANGE': HttpStatus.BAD_REQUEST,
  'AUDIT.BAD_USER_ID': HttpStatus.BAD_REQUEST,
  'PUBLIC.BAD_LIST_TYPE': HttpStatus.BAD_REQUEST,
  'PUBLIC.UNKNOWN_LIST': HttpStatus.BAD_REQUEST,
  // Measure tasks and feedback
  'TASK.NOT_FOUND': HttpStatus.NOT_FOUND,
  'TASK.NOT_PARTICIPATING': HttpStatus.FORBIDDEN,
  'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT': HttpStatus.FORBIDDEN,
  'FEEDBACK.DUPLICATE': HttpStatus.CONFLICT,
  'FEEDBACK.TASK_ENDED': HttpStatus.CONFLICT,
  'PERFORMANCE.OTHER_DEPARTMENT': HttpStatus.FORBIDDEN,
  // Dead letters: another department's is not found, like one that does not exist; one that cannot be opened is an operator's matter
  'DEAD_LETTER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'DEAD_LETTER.KEY_UNAVAILABLE': HttpStatus.INTERNAL_SERVER_ERROR,
  'DEAD_LETTER.UNREADABLE': HttpStatus.INTERNAL_SERVER_ERROR,
  // The service
  'SERVICE.UNAVAILABLE': HttpStatus.SERVICE_UNAVAILABLE,
  'INTERNAL': HttpStatus.INTERNAL_SERVER_ERROR,
  'ENGINE.PROCESSING_FAILED': HttpStatus.INTERNAL_SERVER_ERROR,
  'RULES.INVALID_FILE': HttpStatus.INTERNAL_SERVER_ERROR,
  'RULES.ILLEGAL_MEASURE': HttpStatus.INTERNAL_SERVER_ERROR,
  'RULES.INCONSISTENT_SET': HttpStatus.INTERNAL_SERVER_ERROR,
  'RULES.EMPTY_SET': HttpStatus.INTERNAL_SERVER_ERROR,
  'CALENDAR.INVALID': HttpStatus.INTERNAL_SERVER_ERROR,
} as const satisfies Record<string, HttpStatus>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes the libraries declare as types: each must be in ERROR_STATUS, or this fails to compile naming it. */
type DeclaredCode = EventValidationCode | InvalidIdentifierCode | DepartmentErrorCode | FeedbackErrorCode | CreditCheckErrorCode | DeadLetterErrorCode | HttpRefusalCode;
type Unmapped = Exclude<DeclaredCode, ErrorCode>;
export const EVERY_DECLARED_CODE_HAS_A_STATUS: [Unmapped] extends [never] ? true : Unmapped = true;

/** A code missing from the map but under a prefix the map knows is still the caller's fault. */
const BY_PREFIX: Record<string, HttpStatus> = {
  'EVENT.': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.': HttpStatus.UNPROCESSABLE_ENTITY,
  'DEPARTMENT.': HttpStatus.FORBIDDEN,
  'TASK.': HttpStatus.NOT_FOUND,
  'FEEDBACK.': HttpStatus.CONFLICT,
};

const CLIENT_PREFIXES = new Set(
  Object.entries(ERROR_STATUS)
    .filter(([, status]) => status < 500)
    .map(([code]) => code.slice(0, code.indexOf('.') + 1)),
);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}

/** The status of a code: its own, else its prefix's (4xx for every prefix callers can cause), else 500. */
export function httpStatusFor(code: string): HttpStatus {
  if (isErrorCode(code)) return ERROR_STATUS[code];
  const prefix = code.slice(0, code.indexOf('.') + 1);
  if (prefix && CLIENT_PREFIXES.has(prefix)) return BY_PREFIX[prefix] ?? HttpStatus.BAD_REQUEST;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

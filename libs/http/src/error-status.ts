import { HttpStatus } from '@nestjs/common';

/** Domain error codes → HTTP status. Anything unlisted under a known prefix is a 4xx by prefix. */
const BY_CODE: Record<string, HttpStatus> = {
  'DEPARTMENT.NOT_AUTHENTICATED': HttpStatus.UNAUTHORIZED,
  'DEPARTMENT.SOURCE_MISMATCH': HttpStatus.FORBIDDEN,
  'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'DEPARTMENT.LIST_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'DEPARTMENT.UNKNOWN': HttpStatus.NOT_FOUND,
  'REQUEST.NOT_FOUND': HttpStatus.NOT_FOUND,
  'EVENT.MALFORMED_JSON': HttpStatus.BAD_REQUEST,
  'EVENT.NOT_CLOUDEVENT': HttpStatus.BAD_REQUEST,
  'EVENT.UNKNOWN_TYPE': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.CONDUCT_PAST_LIMIT': HttpStatus.UNPROCESSABLE_ENTITY,
  'EVENT.NOT_SENDER': HttpStatus.FORBIDDEN,
  'EVENT.NOT_FOUND': HttpStatus.NOT_FOUND,
  'CHECK.UNKNOWN_APPROVAL_ITEM': HttpStatus.BAD_REQUEST,
  'CHECK.MISSING_APPROVAL_ITEM': HttpStatus.BAD_REQUEST,
  'CHECK.BAD_PURPOSE': HttpStatus.BAD_REQUEST,
  'AUDIT.BAD_TIME_RANGE': HttpStatus.BAD_REQUEST,
  'AUDIT.BAD_USER_ID': HttpStatus.BAD_REQUEST,
  'PUBLIC.BAD_LIST_TYPE': HttpStatus.BAD_REQUEST,
  'PUBLIC.UNKNOWN_LIST': HttpStatus.BAD_REQUEST,
  'TASK.NOT_FOUND': HttpStatus.NOT_FOUND,
  'TASK.NOT_PARTICIPATING': HttpStatus.FORBIDDEN,
  'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT': HttpStatus.FORBIDDEN,
  'FEEDBACK.DUPLICATE': HttpStatus.CONFLICT,
  'FEEDBACK.TASK_ENDED': HttpStatus.CONFLICT,
};

const BY_PREFIX: Record<string, HttpStatus> = {
  'EVENT.': HttpStatus.UNPROCESSABLE_ENTITY,
  'SUBJECT.': HttpStatus.UNPROCESSABLE_ENTITY,
  'REQUEST.': HttpStatus.BAD_REQUEST,
  'DEPARTMENT.': HttpStatus.FORBIDDEN,
};

export function httpStatusFor(code: string): HttpStatus {
  if (code in BY_CODE) return BY_CODE[code];
  const prefix = Object.keys(BY_PREFIX).find((p) => code.startsWith(p));
  return prefix ? BY_PREFIX[prefix] : HttpStatus.INTERNAL_SERVER_ERROR;
}

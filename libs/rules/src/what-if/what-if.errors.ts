import { DomainError, ErrorKinds } from '@app/domain';

/** Refusals of a what-if run: a request the caller got wrong, a draft that does not load, a run that is not there (or not done). */
export type WhatIfErrorCode =
  | 'WHAT_IF.INVALID_REQUEST'
  | 'WHAT_IF.BAD_PERIOD'
  | 'WHAT_IF.INVALID_RULE_SET'
  | 'WHAT_IF.UNKNOWN_RELEASE'
  | 'WHAT_IF.BUSY'
  | 'WHAT_IF.NOT_FOUND'
  | 'WHAT_IF.EVENT_NOT_FOUND'
  | 'WHAT_IF.NOT_FINISHED';

export const WHAT_IF_ERROR_KINDS: ErrorKinds<WhatIfErrorCode> = {
  'WHAT_IF.INVALID_REQUEST': 'invalid',
  'WHAT_IF.BAD_PERIOD': 'invalid',
  'WHAT_IF.INVALID_RULE_SET': 'unprocessable',
  'WHAT_IF.UNKNOWN_RELEASE': 'invalid',
  'WHAT_IF.BUSY': 'conflict',
  'WHAT_IF.NOT_FOUND': 'not-found',
  'WHAT_IF.EVENT_NOT_FOUND': 'not-found',
  'WHAT_IF.NOT_FINISHED': 'conflict',
};

/** Context names no natural person. */
export class WhatIfError extends DomainError {
  declare readonly code: WhatIfErrorCode;

  constructor(code: WhatIfErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

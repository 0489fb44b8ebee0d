import { DomainError, ErrorKinds } from '@app/domain';

export type PerformanceErrorCode = 'PERFORMANCE.OTHER_DEPARTMENT' | 'REQUEST.BAD_PERIOD';

export const PERFORMANCE_ERROR_KINDS: ErrorKinds<PerformanceErrorCode> = {
  'PERFORMANCE.OTHER_DEPARTMENT': 'forbidden',
  'REQUEST.BAD_PERIOD': 'invalid',
};

/** Refusals of a performance read; context names departments only. */
export class PerformanceError extends DomainError {
  declare readonly code: PerformanceErrorCode;

  constructor(code: PerformanceErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

import { DomainError } from '../domain.errors';

export type DepartmentErrorCode =
  | 'DEPARTMENT.UNKNOWN'
  | 'DEPARTMENT.NOT_AUTHENTICATED'
  | 'DEPARTMENT.SOURCE_MISMATCH'
  | 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED'
  | 'DEPARTMENT.LIST_NOT_ALLOWED'
  | 'DEPARTMENT.INVALID_REGISTRY'
  | 'DEPARTMENT.UNKNOWN_TOKEN';

export class DepartmentError extends DomainError {
  declare readonly code: DepartmentErrorCode;

  constructor(code: DepartmentErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

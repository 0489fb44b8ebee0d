import { DomainError } from '../domain.errors';
import type { ErrorKinds } from '../error-kind';

export type DepartmentErrorCode =
  | 'DEPARTMENT.UNKNOWN'
  | 'DEPARTMENT.NOT_AUTHENTICATED'
  | 'DEPARTMENT.SOURCE_MISMATCH'
  | 'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED'
  | 'DEPARTMENT.LIST_NOT_ALLOWED'
  | 'DEPARTMENT.INVALID_REGISTRY'
  | 'DEPARTMENT.UNKNOWN_TOKEN'
  | 'DEPARTMENT.GOVERNMENT_ONLY'
  | 'DEPARTMENT.PROVENANCE_REQUIRED'
  | 'DEPARTMENT.PROVENANCE_NOT_ALLOWED'
  | 'SUBJECT.NOT_A_MEMBER'
  | 'ASSOCIATION.SANCTION_NOT_ALLOWED'
  | 'ASSOCIATION.INDUSTRY_MISMATCH';

/** A departments file or token registry refused at start-up is the operator's (internal); the rest are the caller's. */
export const DEPARTMENT_ERROR_KINDS: ErrorKinds<DepartmentErrorCode> = {
  'DEPARTMENT.UNKNOWN': 'not-found',
  'DEPARTMENT.NOT_AUTHENTICATED': 'unauthenticated',
  'DEPARTMENT.SOURCE_MISMATCH': 'forbidden',
  'DEPARTMENT.EVENT_TYPE_NOT_ALLOWED': 'forbidden',
  'DEPARTMENT.LIST_NOT_ALLOWED': 'forbidden',
  'DEPARTMENT.INVALID_REGISTRY': 'internal',
  'DEPARTMENT.UNKNOWN_TOKEN': 'not-found',
  // An industry association publishes about its members; it has no statutory duty to check subjects or record approvals.
  'DEPARTMENT.GOVERNMENT_ONLY': 'forbidden',
  // A peer deployment relays; a department publishes its own findings: neither may pass for the other.
  'DEPARTMENT.PROVENANCE_REQUIRED': 'forbidden',
  'DEPARTMENT.PROVENANCE_NOT_ALLOWED': 'forbidden',
  // An association publishing about a non-member, or beyond its statutes, is refused like a department beyond its lists.
  'SUBJECT.NOT_A_MEMBER': 'forbidden',
  'ASSOCIATION.SANCTION_NOT_ALLOWED': 'forbidden',
  'ASSOCIATION.INDUSTRY_MISMATCH': 'forbidden',
};

export class DepartmentError extends DomainError {
  declare readonly code: DepartmentErrorCode;

  constructor(code: DepartmentErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

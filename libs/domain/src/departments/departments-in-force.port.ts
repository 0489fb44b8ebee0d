import type { DepartmentRegistry } from './department-registry';

/**
 * Whoever holds the departments registry in force. The registry is replaced when its file
 * changes (tokens rotate without a restart), so a reader asks for it on every request instead
 * of keeping one.
 */
export interface DepartmentsInForce {
  readonly departments: DepartmentRegistry;
}

export const DEPARTMENTS_IN_FORCE = Symbol('DEPARTMENTS_IN_FORCE');

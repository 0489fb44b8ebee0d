import { createHash, timingSafeEqual } from 'node:crypto';
import { CreditEvent, departmentOf } from '../events/credit-event';
import { listCodeOf } from '../events/event-catalogue';
import { isEventType } from '../events/event-types';
import { Department } from './department';
import { DepartmentError } from './department.errors';

/** The departments registry: who exists, who may publish what, and how each one proves who it is. */
export class DepartmentRegistry {
  private readonly byCode: ReadonlyMap<string, Department>;

  constructor(departments: readonly Department[]) {
    const problems = departments.flatMap((d) => DepartmentRegistry.problemsOf(d));
    if (problems.length > 0) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `invalid departments registry: ${problems.join('; ')}`);
    const byCode = new Map<string, Department>();
    for (const department of departments) {
      if (byCode.has(department.code)) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `department "${department.code}" is declared twice`);
      byCode.set(department.code, Object.freeze(department));
    }
    this.byCode = byCode;
  }

  all(): Department[] {
    return [...this.byCode.values()];
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get(code: string): Department {
    const department = this.byCode.get(code);
    if (!department) throw new DepartmentError('DEPARTMENT.UNKNOWN', `unknown department "${code}"`, { department: code });
    return department;
  }

  /** The department whose bearer token this is, or an error that does not say which part was wrong. */
  /** Departments still holding the development token `dev-<code>-token` of the shipped registry: refused in production. */
  withDevelopmentTokens(): string[] {
    return this.all()
      .filter((d) => createHash('sha256').update(developmentToken(d.code)).digest('hex') === d.credentials.tokenSha256)
      .map((d) => d.code);
  }

  authenticate(token: string | undefined): Department {
    if (token) {
      const digest = createHash('sha256').update(token).digest();
      for (const department of this.byCode.values()) {
        const expected = Buffer.from(department.credentials.tokenSha256, 'hex');
        if (expected.length === digest.length && timingSafeEqual(expected, digest)) return department;
      }
    }
    throw new DepartmentError('DEPARTMENT.NOT_AUTHENTICATED', 'a valid department bearer token is required (Authorization: Bearer <token>)');
  }

  /**
   * A department publishes only under its own name, only the event types the registry
   * grants it, and only about the lists it identifies.
   */
  authorisePublication(department: Department, event: CreditEvent): void {
    const publisher = departmentOf(event.source);
    if (publisher !== department.code) {
      throw new DepartmentError('DEPARTMENT.SOURCE_MISMATCH', `department "${department.code}" may not publish as "${event.source}"; use source /departments/${department.code}`, {
        department: department.code,
        source: event.source,
      });
    }
    if (!department.publishes.eventTypes.includes(event.type)) {
      throw new DepartmentError('DEPARTMENT.EVENT_TYPE_NOT_ALLOWED', `department "${department.code}" may not publish ${event.type}`, {
        department: department.code,
        type: event.type,
      });
    }
    const list = listCodeOf(event.type, event.data);
    if (list !== undefined && !department.publishes.lists.includes(list)) {
      throw new DepartmentError('DEPARTMENT.LIST_NOT_ALLOWED', `department "${department.code}" does not identify the list "${list}"`, {
        department: department.code,
        list,
      });
    }
  }

  private static problemsOf(department: Department): string[] {
    const problems: string[] = [];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(department.code ?? '')) problems.push(`bad department code "${department.code}"`);
    if (!/^[0-9a-f]{64}$/.test(department.credentials?.tokenSha256 ?? '')) problems.push(`${department.code}: credentials.tokenSha256 must be 64 hex characters`);
    if (department.assessesDepartments !== undefined && typeof department.assessesDepartments !== 'boolean') problems.push(`${department.code}: assessesDepartments must be true or false`);
    for (const type of department.publishes?.eventTypes ?? []) {
      if (!isEventType(type)) problems.push(`${department.code}: unknown event type "${type}"`);
    }
    return problems;
  }
}

/** The token `config/departments.json` ships for each department, for `npm start` and the tests. */
export function developmentToken(code: string): string {
  return `dev-${code}-token`;
}

import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Department, DepartmentError, DEPARTMENTS_IN_FORCE, DepartmentsInForce } from '@app/domain';
import { bearerToken, EdgeRequest } from './bearer-token';

type AuthenticatedRequest = EdgeRequest & { department?: Department };

/**
 * Every department call carries `Authorization: Bearer <token>`; the registry says whose it is.
 * Where RateLimitGuard runs first it has already identified the department (and counted a wrong
 * token against the address); this guard then only requires that there was one.
 */
@Injectable()
export class DepartmentAuthGuard implements CanActivate {
  constructor(@Inject(DEPARTMENTS_IN_FORCE) private readonly registry: DepartmentsInForce) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.department ??= this.registry.departments.authenticate(bearerToken(request));
    return true;
  }
}

/**
 * After DepartmentAuthGuard, on routes for government departments' duties only (credit checks,
 * commitments of approval items): an industry association publishes sanctions about its members
 * and reads its own feed and statuses, but checking any subject's standing is no part of its
 * role (a department sees what its duty needs: DOMAIN §6).
 */
@Injectable()
export class GovernmentDepartmentGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const department = context.switchToHttp().getRequest<AuthenticatedRequest>().department;
    if (department?.kind === 'association') {
      throw new DepartmentError('DEPARTMENT.GOVERNMENT_ONLY', `"${department.code}" is an industry association: this route serves government departments' duties (credit checks, approval items' commitments)`, { department: department.code });
    }
    if (department?.kind === 'deployment') {
      throw new DepartmentError('DEPARTMENT.GOVERNMENT_ONLY', `"${department.code}" is a peer deployment's exchange bridge: it relays events and reads its own feed; this route serves a government department's duties`, { department: department.code });
    }
    return true;
  }
}

/** The authenticated department of the current request. */
export const CurrentDepartment = createParamDecorator((_: unknown, context: ExecutionContext): Department => {
  const department = context.switchToHttp().getRequest<AuthenticatedRequest>().department;
  if (!department) throw new Error('CurrentDepartment used on a route without DepartmentAuthGuard');
  return department;
});

import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Department, DEPARTMENTS_IN_FORCE, DepartmentsInForce } from '@app/domain';
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

/** The authenticated department of the current request. */
export const CurrentDepartment = createParamDecorator((_: unknown, context: ExecutionContext): Department => {
  const department = context.switchToHttp().getRequest<AuthenticatedRequest>().department;
  if (!department) throw new Error('CurrentDepartment used on a route without DepartmentAuthGuard');
  return department;
});

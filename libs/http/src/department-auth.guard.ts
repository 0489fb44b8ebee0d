import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Department } from '@app/domain';
import { CatalogueService } from '@app/engine';

type AuthenticatedRequest = Request & { department?: Department };

/** Every department call carries `Authorization: Bearer <token>`; the registry says whose it is. */
@Injectable()
export class DepartmentAuthGuard implements CanActivate {
  constructor(private readonly catalogue: CatalogueService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    request.department = this.catalogue.departments.authenticate(token);
    return true;
  }
}

/** The authenticated department of the current request. */
export const CurrentDepartment = createParamDecorator((_: unknown, context: ExecutionContext): Department => {
  const department = context.switchToHttp().getRequest<AuthenticatedRequest>().department;
  if (!department) throw new Error('CurrentDepartment used on a route without DepartmentAuthGuard');
  return department;
});

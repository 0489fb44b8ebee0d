import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EdgeRequest } from './bearer-token';
import { ManagementCheck, managementCheck, managementOf } from './management-access';

/**
 * The management token on a controller's routes (the release API until console users sign in):
 * the same check, token and answer (MANAGEMENT.NOT_AUTHENTICATED) as /metrics and /docs; open
 * when no MANAGEMENT_TOKEN_SHA256 is configured (development).
 */
@Injectable()
export class ManagementTokenGuard implements CanActivate {
  private readonly check: ManagementCheck | undefined;

  constructor(config: AppConfig) {
    this.check = managementCheck(managementOf(config));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<EdgeRequest & { url?: string }>();
    const refusal = this.check?.(request.url ?? '', request.headers.authorization);
    if (refusal) throw refusal;
    return true;
  }
}

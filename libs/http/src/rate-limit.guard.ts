import { ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { Department, DEPARTMENTS_IN_FORCE, DepartmentsInForce } from '@app/domain';
import { AuthBackoff } from './auth-backoff';
import { bearerToken, clientAddress, EdgeRequest } from './bearer-token';
import { HttpRefusal } from './http.errors';
import { HttpMetrics } from './http.metrics';

export type IdentifiedRequest = EdgeRequest & { department?: Department };

const UNLIMITED = 'credit:unlimited';
/** Routes outside every limit: readiness probes, polled by load balancers and orchestrators. */
export const Unlimited = () => SetMetadata(UNLIMITED, true);

/**
 * The HTTP edge's first guard, on every route: it reads the bearer token (if any), limits the
 * request per department when the token is good and per client address when there is none, and
 * makes an address that keeps presenting wrong tokens wait (DEPARTMENT.AUTH_BACKOFF). A wrong
 * token is refused on every route, public ones included. DepartmentAuthGuard then only has to
 * require that a department was found.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(DEPARTMENTS_IN_FORCE) private readonly registry: DepartmentsInForce,
    private readonly backoff: AuthBackoff,
    private readonly metrics: HttpMetrics,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || this.reflector.getAllAndOverride<boolean>(UNLIMITED, [context.getHandler(), context.getClass()])) return true;
    this.identify(context.switchToHttp().getRequest<IdentifiedRequest>());
    return super.canActivate(context);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const kind = context.switchToHttp().getRequest<IdentifiedRequest>().department ? 'department' : 'address';
    this.metrics.limited(kind);
    const seconds = Math.max(1, detail.timeToBlockExpire);
    // The code-verification budget (keys `verification:<address>`) is per address too, and says which budget it was.
    const verification = detail.key.startsWith('verification:');
    throw new HttpRefusal(
      'REQUEST.RATE_LIMITED',
      `more than ${detail.limit} ${verification ? 'verifications' : 'requests'} a minute from this ${kind === 'department' ? 'department' : 'address'}; retry after ${seconds} seconds`,
      { 'Retry-After': String(seconds) },
      { limit: detail.limit, per: verification ? 'address-verification' : kind },
    );
  }

  private identify(request: IdentifiedRequest): void {
    const token = bearerToken(request);
    if (token === undefined) return;
    const address = clientAddress(request);
    const wait = this.backoff.retryAfterSeconds(address);
    if (wait > 0) {
      this.metrics.backoffRefused();
      throw new HttpRefusal('DEPARTMENT.AUTH_BACKOFF', `too many wrong bearer tokens from this address; no token is checked from it for ${wait} seconds`, { 'Retry-After': String(wait) });
    }
    try {
      const holder = this.registry.departments.identify(token);
      this.backoff.succeeded(address);
      this.metrics.tokenUsed(holder);
      request.department = holder.department;
    } catch (error) {
      this.backoff.failed(address);
      this.metrics.authenticationFailed();
      throw error;
    }
  }
}

import { DynamicModule, ExecutionContext, Module, SetMetadata, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { AuthBackoff } from './auth-backoff';
import { clientAddress } from './bearer-token';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import { HttpMetrics } from './http.metrics';
import { IdentifiedRequest, RateLimitGuard } from './rate-limit.guard';

const MINUTE_MS = 60_000;
const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<IdentifiedRequest>();

const CODE_VERIFICATION = 'credit:code-verification';
/**
 * An open route that compares a secret code by a deliberately slow hash (credit report
 * verification): it also has its own, far smaller budget per address (REPORT_VERIFY_PER_MINUTE).
 */
export const CodeVerificationRoute = () => SetMetadata(CODE_VERIFICATION, true);

/**
 * Two budgets a minute: one per department for requests with its token, one per client address for
 * the rest; and a third, per address, on the code-verification routes only.
 */
export function rateLimitOptions(config: Pick<AppConfig, 'RATE_LIMIT_DEPARTMENT_PER_MINUTE' | 'RATE_LIMIT_ADDRESS_PER_MINUTE' | 'REPORT_VERIFY_PER_MINUTE'>): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'department',
        ttl: MINUTE_MS,
        limit: (context) => requestOf(context).department?.rateLimitPerMinute ?? config.RATE_LIMIT_DEPARTMENT_PER_MINUTE,
        skipIf: (context) => requestOf(context).department === undefined,
        getTracker: (request) => (request as IdentifiedRequest).department!.code,
      },
      {
        name: 'address',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_ADDRESS_PER_MINUTE,
        skipIf: (context) => requestOf(context).department !== undefined,
        getTracker: (request) => clientAddress(request as IdentifiedRequest),
      },
      {
        name: 'verification',
        ttl: MINUTE_MS,
        limit: config.REPORT_VERIFY_PER_MINUTE,
        skipIf: (context) => Reflect.getMetadata(CODE_VERIFICATION, context.getHandler()) !== true,
        getTracker: (request) => clientAddress(request as IdentifiedRequest),
      },
    ],
    // One budget across all routes, not one per route (the throttler's default key).
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    // Retry-After is set on the refusal itself; X-RateLimit-* on every answer would tell nothing a client acts on.
    setHeaders: false,
    storage: new FixedWindowThrottlerStorage(),
  };
}

/** Rate limits and authentication backoff for an HTTP app that serves departments (ingest, query). */
@Module({})
export class RateLimitModule {
  /** `departments` is the app's module that exports DEPARTMENTS_IN_FORCE (the engine's catalogue): the edge does not know who loads the registry. */
  static forRoot(departments: Type<unknown>): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [departments, ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => rateLimitOptions(config) })],
      providers: [
        HttpMetrics,
        {
          provide: AuthBackoff,
          inject: [AppConfig, HttpMetrics],
          useFactory: (config: AppConfig, metrics: HttpMetrics) => {
            const backoff = new AuthBackoff({ freeFailures: config.AUTH_FAILURES_BEFORE_BACKOFF, maxSeconds: config.AUTH_BACKOFF_MAX_SECONDS });
            metrics.watchBackoff(backoff);
            return backoff;
          },
        },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [HttpMetrics, AuthBackoff],
    };
  }
}

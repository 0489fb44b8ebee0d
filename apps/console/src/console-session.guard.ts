import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '@app/http';
import { assertCsrfToken, assertRole, ConsoleAuditService, ConsoleError, ConsoleRole, ConsoleSession, ConsoleSessionService } from '@app/workbench';
import { readCookie, SESSION_COOKIE } from './console-cookies';

export type ConsoleRequest = FastifyRequest & { consoleSession?: ConsoleSession; sessionToken?: string };

const ROLES = 'console:roles';
/** The roles that may call a route; without it, any signed-in user may. */
export const ConsoleRoles = (...roles: ConsoleRole[]) => SetMetadata(ROLES, roles);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A signed-in user, their role where the route names roles, and on every state-changing request the session's CSRF token. */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: ConsoleSessionService,
    private readonly reflector: Reflector,
    private readonly audit: ConsoleAuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = await this.sessions.resolve(token);
    if (!session) throw new ConsoleError('CONSOLE.NOT_SIGNED_IN', 'sign in to the console first');
    const roles = this.reflector.getAllAndOverride<ConsoleRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    try {
      if (!SAFE_METHODS.has(request.method)) assertCsrfToken(session.csrfToken, headerOf(request, 'x-csrf-token'));
      if (roles) assertRole(session.user, roles);
    } catch (error) {
      // A signed-in user's refused request is a console action too: audited with the route (its template, never the path's values) and the refusal.
      if (error instanceof ConsoleError) {
        const route = `${request.method} ${request.routeOptions?.url ?? '?'}`;
        await this.audit.record({ userName: session.user.name, action: 'request-refused', target: `${route} ${error.code}`, outcome: 'refused', address: clientAddress(request) });
      }
      throw error;
    }
    request.consoleSession = session;
    request.sessionToken = token;
    return true;
  }
}

export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): ConsoleSession => {
  const session = context.switchToHttp().getRequest<ConsoleRequest>().consoleSession;
  if (!session) throw new Error('CurrentSession used on a route without ConsoleSessionGuard');
  return session;
});

export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

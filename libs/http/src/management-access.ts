import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '@app/config';
import { DomainErrorFilter } from './domain-error.filter';
import { HttpRefusal } from './http.errors';

/** Who may read /metrics and /docs: holders of a management token, or anyone when none is configured (development). */
export interface ManagementAccess {
  tokenSha256s: readonly string[];
}

/** Management paths: Prometheus' scrape and the OpenAPI documents (page, JSON, YAML). Health stays open. */
export const MANAGEMENT_PATHS = ['/metrics', '/docs', '/docs-json', '/docs-yaml'] as const;

export function managementOf(config: Pick<AppConfig, 'MANAGEMENT_TOKEN_SHA256'>): ManagementAccess {
  return { tokenSha256s: config.MANAGEMENT_TOKEN_SHA256?.split(',') ?? [] };
}

/**
 * Express middleware for MANAGEMENT_PATHS (Swagger's routes are Express routes, outside Nest's
 * guards). The token comes as `Authorization: Bearer <token>` (Prometheus' `authorization`
 * setting), or as the password of HTTP Basic, so a browser can open /docs.
 */
export function managementGuard(access: ManagementAccess, filter: DomainErrorFilter): RequestHandler | undefined {
  if (access.tokenSha256s.length === 0) return undefined;
  const accepted = access.tokenSha256s.map((hex) => Buffer.from(hex, 'hex'));
  return (request: Request, response: Response, next: NextFunction) => {
    const token = presentedToken(request.headers.authorization ?? '');
    const digest = token === undefined ? undefined : createHash('sha256').update(token).digest();
    if (digest && accepted.some((expected) => timingSafeEqual(expected, digest))) return next();
    filter.send(
      new HttpRefusal('MANAGEMENT.NOT_AUTHENTICATED', `${request.path} needs the management token (Authorization: Bearer <token>)`, {
        'WWW-Authenticate': ['Bearer realm="management"', 'Basic realm="management", charset="UTF-8"'],
      }),
      response,
    );
  };
}

function presentedToken(header: string): string | undefined {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

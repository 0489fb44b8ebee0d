import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/config';
import { HttpRefusal } from './http.errors';

/** Who may read /metrics and /docs: holders of a management token, or anyone when none is configured (development). */
export interface ManagementAccess {
  tokenSha256s: readonly string[];
}

/** Management paths: Prometheus' scrape and the OpenAPI documents (page, JSON, YAML). Health stays open. */
export const MANAGEMENT_PATHS = ['/metrics', '/docs', '/docs-json', '/docs-yaml'] as const;

/** Whether a request's path is a management path or below one, in any case (as an Express mount path matches). */
export function isManagementPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANAGEMENT_PATHS.some((root) => lower === root || lower.startsWith(`${root}/`));
}

export function managementOf(config: Pick<AppConfig, 'MANAGEMENT_TOKEN_SHA256'>): ManagementAccess {
  return { tokenSha256s: config.MANAGEMENT_TOKEN_SHA256?.split(',') ?? [] };
}

/** The refusal of a management request without the token, or undefined when it may pass. */
export type ManagementCheck = (path: string, authorization: string | undefined) => HttpRefusal | undefined;

/**
 * The check for MANAGEMENT_PATHS, run before routing on either platform (Swagger's routes are the
 * server's own, outside Nest's guards). The token comes as `Authorization: Bearer <token>`
 * (Prometheus' `authorization` setting), or as the password of HTTP Basic, so a browser can open
 * /docs. Undefined when no token is configured: the paths are open.
 */
export function managementCheck(access: ManagementAccess): ManagementCheck | undefined {
  if (access.tokenSha256s.length === 0) return undefined;
  const accepted = access.tokenSha256s.map((hex) => Buffer.from(hex, 'hex'));
  return (_path, authorization) => {
    const token = presentedToken(authorization ?? '');
    const digest = token === undefined ? undefined : createHash('sha256').update(token).digest();
    if (digest && accepted.some((expected) => timingSafeEqual(expected, digest))) return undefined;
    // The path is not quoted back: on the release and what-if routes it carries the caller's values.
    return new HttpRefusal('MANAGEMENT.NOT_AUTHENTICATED', 'this route needs the management token (Authorization: Bearer <token>)', {
      'WWW-Authenticate': ['Bearer realm="management"', 'Basic realm="management", charset="UTF-8"'],
    });
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

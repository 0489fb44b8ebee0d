import { UNTRUSTED_JSON_LIMITS } from '@app/domain';
import type { ManagementAccess } from './management-access';
import type { RequestObserver } from './request-log';

/** How an app is reached: over TLS of its own, or behind the proxy that terminates it. */
export interface Serving {
  https?: { key: Buffer; cert: Buffer };
  trustProxy?: string;
}

/** A JSON body limit for the requests at `path` or below it, larger or smaller than the default. */
export interface BodyLimit {
  path: string;
  bytes: number;
}

/** What each platform's edge is set up from: the same for Express and Fastify. */
export interface HttpEdge {
  bodyLimits: readonly BodyLimit[];
  serving: Serving;
  management: ManagementAccess;
  /** Counts and logs every answer, the ones refused before routing included. */
  observer: RequestObserver;
}

/** Every JSON body is at most one credit event's size unless a route says otherwise. */
export const DEFAULT_BODY_LIMIT_BYTES = UNTRUSTED_JSON_LIMITS.maxEventBytes;

/** The media types read as JSON: CloudEvents' structured and batched modes, and plain JSON. */
export const JSON_TYPES = ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'];

/** The path of a request target, without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The limit for a request at `path`: the first BodyLimit whose path it is or is below (in any case, as an Express mount path matches). */
export function bodyLimitFor(path: string, limits: readonly BodyLimit[]): number {
  const lower = path.toLowerCase();
  const limit = limits.find((candidate) => {
    const root = candidate.path.toLowerCase();
    return lower === root || lower.startsWith(root.endsWith('/') ? root : `${root}/`);
  });
  return limit?.bytes ?? DEFAULT_BODY_LIMIT_BYTES;
}

import { UNTRUSTED_JSON_LIMITS } from '@app/domain';
import type { ManagementAccess } from './management-access';
import type { RequestObserver } from './request-log';

/** How an app is reached: over TLS of its own, or behind the proxy that terminates it. */
export interface Serving {
  https?: { key: Buffer; cert: Buffer };
  trustProxy?: string;
}

/** A JSON body limit for the requests at `path` or below it (of one media type, when given), larger or smaller than the default. */
export interface BodyLimit {
  path: string;
  bytes: number;
  /** Only bodies of this media type (e.g. a CloudEvents batch sent to the single-event route). */
  mediaType?: string;
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

/** CloudEvents' batched mode: a JSON array of structured events. */
export const CLOUDEVENTS_BATCH_JSON = 'application/cloudevents-batch+json';

/** The media types read as JSON: plain JSON (binary mode's data, or a structured event), CloudEvents' structured and batched modes. */
export const JSON_TYPES = ['application/json', 'application/cloudevents+json', CLOUDEVENTS_BATCH_JSON];

/** The path of a request target, without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * The limit for a request at `path` with a body of `mediaType` (its essence): the first BodyLimit
 * whose path it is or is below (in any case, as an Express mount path matches) and whose media type, if any, it has.
 */
export function bodyLimitFor(path: string, limits: readonly BodyLimit[], mediaType?: string): number {
  const lower = path.toLowerCase();
  const limit = limits.find((candidate) => {
    const root = candidate.path.toLowerCase();
    if (candidate.mediaType !== undefined && candidate.mediaType !== mediaType) return false;
    return lower === root || lower.startsWith(root.endsWith('/') ? root : `${root}/`);
  });
  return limit?.bytes ?? DEFAULT_BODY_LIMIT_BYTES;
}

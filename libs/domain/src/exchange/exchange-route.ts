import { createHash } from 'node:crypto';
import { CreditEvent, findingDepartmentOf } from '../events/credit-event';
import { ProvenanceDto } from '../events/credit-event-data.dto';

/** A route names at most this many deployments (ProvenanceDto.route's pattern says the same). */
export const MAX_ROUTE_DEPLOYMENTS = 8;

/**
 * UUIDv5 namespace of relayed event ids (a fixed random UUID of this product): the id a bridge
 * gives its copy of an event depends only on where the event was first published.
 */
const RELAYED_EVENT_NAMESPACE = 'b4f7f0a2-5a52-4f43-9c55-3a1a9d0e6c11';

/** The deployments a relayed event has passed, origin first. */
export function routeDeployments(route: string): string[] {
  return route.split('>');
}

/** Why an event is not sent over a link: the peer has had it already, or the route is full. */
export type NotForwarded = { forwarded: false; reason: 'peer-on-route' | 'route-too-long' | 'no-finding-department' };
export type Forwarded = { forwarded: true; provenance: ProvenanceDto };

/**
 * The provenance of the copy of `event` that deployment `here` sends to `peer` (市区失信信息互通):
 * the origin kept (the first deployment's department, source and event id), `here` appended to
 * the route. A link never sends an event back along its route, so no pair of links makes a loop:
 * the city does not return to the district what the district sent it.
 */
export function provenanceForPeer(event: CreditEvent, here: string, peer: string): Forwarded | NotForwarded {
  const earlier = event.data.provenance;
  let provenance: ProvenanceDto;
  if (earlier !== undefined) {
    provenance = { ...earlier, route: `${earlier.route}>${here}` };
  } else {
    const department = findingDepartmentOf(event);
    if (department === undefined) return { forwarded: false, reason: 'no-finding-department' };
    provenance = { deployment: here, department, source: event.source, eventId: event.id, route: here };
  }
  const route = routeDeployments(provenance.route);
  if (peer === here || route.includes(peer)) return { forwarded: false, reason: 'peer-on-route' };
  if (route.length > MAX_ROUTE_DEPLOYMENTS) return { forwarded: false, reason: 'route-too-long' };
  return { forwarded: true, provenance };
}

/** A relayed event that has come back to a deployment on its route: it is that deployment's own, or a copy of it. */
export function hasLooped(provenance: ProvenanceDto, here: string): boolean {
  return routeDeployments(provenance.route).includes(here);
}

/**
 * The CloudEvents id of a relayed copy: UUIDv5 (RFC 9562 §5.5) of the origin deployment, source
 * and id. A bridge that sends an item again after a restart sends the same id, which the
 * receiving intake already holds; two routes of one origin event give one id too.
 */
export function relayedEventId(provenance: Pick<ProvenanceDto, 'deployment' | 'source' | 'eventId'>): string {
  return uuidV5(RELAYED_EVENT_NAMESPACE, `${provenance.deployment}\n${provenance.source}\n${provenance.eventId}`);
}

/** A name-based UUID, version 5 (SHA-1), RFC 9562 §5.5. */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

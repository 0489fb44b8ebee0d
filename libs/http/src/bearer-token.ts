import type { IncomingHttpHeaders } from 'node:http';
import { normalizeIp } from '@nestjs/throttler';

/** What the edge reads of a request, on Express and Fastify alike (both requests have these). */
export interface EdgeRequest {
  headers: IncomingHttpHeaders;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The token of `Authorization: Bearer <token>`, or undefined when the header is absent or another scheme. */
export function bearerToken(request: Pick<EdgeRequest, 'headers'>): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  return token ? token : undefined;
}

/**
 * The address limits and backoff count against: the request's `ip` (the socket's peer, or the
 * client named by the proxy TRUSTED_PROXY trusts: Express's `req.ip`, Fastify's `request.ip`, both
 * proxy-addr's answer), IPv4-mapped IPv6 read as IPv4 and IPv6 taken per /64, since one host
 * usually holds the whole /64.
 */
export function clientAddress(request: Pick<EdgeRequest, 'ip' | 'socket'>): string {
  return normalizeIp(request.ip ?? request.socket?.remoteAddress ?? 'unknown');
}

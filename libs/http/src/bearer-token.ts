import type { Request } from 'express';
import { normalizeIp } from '@nestjs/throttler';

/** The token of `Authorization: Bearer <token>`, or undefined when the header is absent or another scheme. */
export function bearerToken(request: Pick<Request, 'headers'>): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  return token ? token : undefined;
}

/**
 * The address limits and backoff count against: Express's `req.ip` (the socket's peer, or the
 * client named by the proxy TRUSTED_PROXY trusts), IPv4-mapped IPv6 read as IPv4 and IPv6 taken
 * per /64, since one host usually holds the whole /64.
 */
export function clientAddress(request: Pick<Request, 'ip' | 'socket'>): string {
  return normalizeIp(request.ip ?? request.socket?.remoteAddress ?? 'unknown');
}

import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_JSON, problemDetails } from './problem-details';

/**
 * Node's parser refuses a request that is not HTTP (a request line with raw non-ASCII characters,
 * e.g. Chinese in an unencoded query string, or a broken header) before any framework sees it, and
 * Fastify and Node then answer in shapes of their own. This answers it as every other error: a 400
 * Problem Details with the stable code REQUEST.MALFORMED. The request is never echoed back.
 */
export function answerMalformedRequests(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A client that went away, or a socket already answered: nothing to tell it.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const detail = tooLarge
      ? 'the request headers are over the server limit (16 KiB)'
      : 'the request is not valid HTTP: its request line or a header is malformed (a URL must be percent-encoded: non-ASCII characters such as Chinese are not allowed as they are; curl -G --data-urlencode does it)';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(problemDetails('REQUEST.MALFORMED', status, detail));
    socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: ${PROBLEM_JSON}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`);
  });
}

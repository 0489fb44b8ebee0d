import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { HttpRequestMetrics } from './http-request.metrics';
import { pinoOptions } from './json-logging';
import { RequestObserver } from './request-log';
import { traceOfRequest } from './request-trace';

/** An app's logger writing into memory, with the options the apps use. */
function capturedLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(chunk.toString()), done()) });
  const logger = pino(pinoOptions({ app: 'query-api', level: 'log', format: 'json' }), stream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

function request(url: string, headers: Record<string, string>): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.url = url;
  message.method = 'GET';
  message.headers = headers;
  return message;
}

describe('the request line and the HTTP request metrics', () => {
  it("writes one JSON line with the route template, status, duration and the request's ids, never its path, query or headers", () => {
    const { logger, lines } = capturedLogger();
    const observer = new RequestObserver(new HttpRequestMetrics(), logger);
    const checked = request('/v1/subjects/510802199003071232/check?purpose=x', { authorization: 'Bearer secret-token', 'x-request-id': 'req-7', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    observer.answered(checked, { method: 'GET', route: '/v1/subjects/:id/check', status: 200, seconds: 0.0123 });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', app: 'query-api', message: 'request answered', method: 'GET', route: '/v1/subjects/:id/check', status: 200, durationMs: 12.3, requestId: 'req-7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line.traceparent).toBe(traceOfRequest(checked).traceparent);
    const text = JSON.stringify(line);
    for (const secret of ['510802199003071232', 'purpose', 'secret-token']) expect(text).not.toContain(secret);
  });

  it('cuts a token, the query and the body from anything else that logs a request', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ req: { headers: { authorization: 'Bearer secret-token', 'x-user-id': 'clerk-9' }, url: '/v1/subjects/510802199003071232/check', query: { purpose: 'x' }, body: { name: '张三' } } }, 'something');
    const text = JSON.stringify(lines()[0]);
    for (const secret of ['secret-token', 'clerk-9', '510802199003071232', '张三', 'purpose']) expect(text).not.toContain(secret);
  });

  it('logs health probes and metrics scrapes at debug level unless they fail', () => {
    const { logger, lines } = capturedLogger();
    const observer = new RequestObserver(new HttpRequestMetrics(), logger);
    observer.answered(request('/health/live', {}), { method: 'GET', route: '/health/live', status: 200, seconds: 0.001 });
    observer.answered(request('/metrics', {}), { method: 'GET', route: '/metrics', status: 401, seconds: 0.001 });
    expect(lines()).toEqual([expect.objectContaining({ level: 'info', route: '/metrics', status: 401 })]);
  });

  it('logs a server error at error level', () => {
    const { logger, lines } = capturedLogger();
    new RequestObserver(new HttpRequestMetrics(), logger).answered(request('/v1/feed', {}), { method: 'GET', route: '/v1/feed', status: 503, seconds: 0.001 });
    expect(lines()[0]).toMatchObject({ level: 'error', status: 503 });
  });

  it('counts by method, route template and status, and puts every unmatched path under one label', async () => {
    const metrics = new HttpRequestMetrics();
    const { logger } = capturedLogger();
    const observer = new RequestObserver(metrics, logger);
    observer.answered(request('/v1/events', {}), { method: 'POST', route: '/v1/events', status: 202, seconds: 0.02 });
    observer.answered(request('/wp-admin', {}), { method: 'GET', route: undefined, status: 404, seconds: 0.001 });
    observer.answered(request('/.env', {}), { method: 'GET', route: undefined, status: 404, seconds: 0.001 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/v1\/events",status="202"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} 2$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0.025",method="POST",route="\/v1\/events",status="202"\} 1$/m);
    expect(text).not.toContain('wp-admin');
  });

  it('keeps one trace context per request: the logger, the edge and the controller see the same ids', () => {
    const incoming = request('/v1/events', { 'x-request-id': 'bad id with spaces' });
    const first = traceOfRequest(incoming);
    expect(traceOfRequest(incoming)).toBe(first);
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

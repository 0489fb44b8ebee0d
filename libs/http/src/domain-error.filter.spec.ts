import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DepartmentError, DomainError, EventValidationError, idReusedError, InvalidIdentifierError } from '@app/domain';
import { CreditCheckError } from '@app/query';
import { DomainErrorFilter } from './domain-error.filter';
import { HttpRefusal } from './http.errors';

describe('DomainErrorFilter', () => {
  const filter = new DomainErrorFilter(new ExpressAdapter());

  it('maps domain error codes to 4xx Problem Details with type, title, status, code, detail and violations', () => {
    const { status, body } = filter.toResponse(new EventValidationError('EVENT.SCHEMA_VIOLATION', 'bad', [{ path: 'data.x', message: 'm' }]));
    expect(status).toBe(422);
    expect(body).toEqual({
      type: '/problems/EVENT.SCHEMA_VIOLATION',
      title: 'Event: schema violation',
      status: 422,
      detail: 'bad',
      code: 'EVENT.SCHEMA_VIOLATION',
      violations: [{ path: 'data.x', message: 'm' }],
    });
    expect(filter.toResponse(new CreditCheckError('CHECK.BURST_REFUSED', 'burst', { retryAfterSeconds: 60 })).body).toMatchObject({ status: 429, context: { retryAfterSeconds: 60 } });
    expect(filter.toResponse(new DepartmentError('DEPARTMENT.NOT_AUTHENTICATED', 'who?')).status).toBe(401);
    expect(filter.toResponse(new InvalidIdentifierError('SUBJECT.BAD_CHECK_DIGIT', 'x')).status).toBe(422);
  });

  it('challenges a 401 with a Bearer realm, and nothing else', () => {
    expect(filter.toResponse(new DepartmentError('DEPARTMENT.NOT_AUTHENTICATED', 'who?')).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="departments"' });
    expect(filter.toResponse(new InvalidIdentifierError('SUBJECT.BAD_CHECK_DIGIT', 'x')).headers).toBeUndefined();
  });

  it('answers a code no family declares as a 500, with its code', () => {
    class Stray extends DomainError {}
    const { status, body } = filter.toResponse(new Stray('STRAY.CODE', 'cast'));
    expect(status).toBe(500);
    expect(body.code).toBe('STRAY.CODE');
  });

  it('turns the body parser\'s JSON failure into EVENT.MALFORMED_JSON', () => {
    const exception = new BadRequestException('Unexpected token } in JSON at position 3', { cause: { type: 'entity.parse.failed' } });
    expect(filter.toResponse(exception)).toMatchObject({ status: 400, body: { status: 400, code: 'EVENT.MALFORMED_JSON', detail: 'request body is not valid JSON' } });
  });

  it('gives unknown routes a code and hides internal errors', () => {
    expect(filter.toResponse(new NotFoundException('Cannot GET /nope')).body.code).toBe('REQUEST.NOT_FOUND');
    // The router's message quotes the URL; the answer does not.
    const routed = filter.toResponse(new NotFoundException('Cannot GET /v1/subjects/510802199003071232/x?name=王建国'));
    expect(routed.body.code).toBe('REQUEST.NOT_FOUND');
    expect(JSON.stringify(routed.body)).not.toMatch(/510802199003071232|王建国/);
    const internal = filter.toResponse(new Error('secret stack detail'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('secret');
  });
});

describe('DomainErrorFilter on failures outside the domain', () => {
  const filter = new DomainErrorFilter(new ExpressAdapter());

  it("answers body-parser's over-size error with 413 REQUEST.TOO_LARGE naming the limit", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit: 65536, length: 70000, expose: true });
    const { status, body } = filter.toResponse(tooLarge);
    expect(status).toBe(413);
    expect(body.code).toBe('REQUEST.TOO_LARGE');
    expect(body.detail).toContain('65536 bytes (64 KiB)');
    expect(filter.toResponse(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 })).body.code).toBe('EVENT.MALFORMED_JSON');
    expect(filter.toResponse(Object.assign(new Error('unsupported charset'), { type: 'charset.unsupported', status: 415 })).body).toMatchObject({ status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
    expect(filter.toResponse(Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400 })).body).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
  });

  it("closes the connection after an over-size body, and answers Fastify's own refusals with their 4xx and the edge's codes", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, limit: 65536 });
    expect(filter.toResponse(tooLarge).headers).toEqual({ Connection: 'close' });
    const badUrl = Object.assign(new Error("'/v1/%E0%A4%A' is not a valid url component"), { code: 'FST_ERR_BAD_URL', statusCode: 400 });
    expect(filter.toResponse(badUrl)).toMatchObject({ status: 400, body: { status: 400, code: 'REQUEST.INVALID', detail: 'request cannot be read (FST_ERR_BAD_URL)' } });
    expect(filter.toResponse(Object.assign(new Error('bad type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })).body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(filter.toResponse(Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).body.code).toBe('REQUEST.TOO_LARGE');
    expect(filter.toResponse(Object.assign(new Error('boom'), { code: 'FST_ERR_HOOK_TIMEOUT', statusCode: 500 })).body.code).toBe('INTERNAL');
  });

  it('answers an unreachable database or broker with 503 SERVICE.UNAVAILABLE and Retry-After', () => {
    for (const cause of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' }),
      Object.assign(new Error('database "x_test" is not currently accepting connections'), { code: '55000' }),
      Object.assign(new Error('database "x_test" does not exist'), { code: '3D000' }),
      // DATABASE_STATEMENT_TIMEOUT_MS cancelled a stuck statement: the retry may find it free.
      Object.assign(new Error('canceling statement due to statement timeout'), { name: 'QueryFailedError', driverError: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) }),
    ]) {
      const response = filter.toResponse(cause);
      expect(response).toMatchObject({ status: 503, body: { code: 'SERVICE.UNAVAILABLE' }, headers: { 'Retry-After': expect.stringMatching(/^\d+$/) } });
    }
  });

  it("answers a failed readiness check as 503 SERVICE.UNAVAILABLE carrying the checks' report, so the reason is in the answer", () => {
    const report = { status: 'error', info: { database: { status: 'up' } }, error: { rules: { status: 'down', held: { reason: 'release-not-built', version: 2 } } }, details: { database: { status: 'up' }, rules: { status: 'down', held: { reason: 'release-not-built', version: 2 } } } };
    const response = filter.toResponse(new ServiceUnavailableException(report));
    expect(response).toMatchObject({ status: 503, body: { code: 'SERVICE.UNAVAILABLE', detail: expect.stringContaining('not ready: rules'), context: { readiness: report } } });
    // Any other 503 keeps its plain answer.
    expect(filter.toResponse(new ServiceUnavailableException('shutting down')).body.context).toBeUndefined();
  });

  it('keeps other database errors internal', () => {
    expect(filter.toResponse(Object.assign(new Error('duplicate key value'), { code: '23505' })).status).toBe(500);
    expect(filter.toResponse(Object.assign(new Error('cannot drop index'), { code: '55000' })).status).toBe(500);
  });

  it('answers the edge\'s refusals with their status and the headers that say what to do next', () => {
    expect(filter.toResponse(new HttpRefusal('REQUEST.RATE_LIMITED', 'slow down', { 'Retry-After': '42' }))).toMatchObject({ status: 429, body: { code: 'REQUEST.RATE_LIMITED' }, headers: { 'Retry-After': '42' } });
    expect(filter.toResponse(new HttpRefusal('DEPARTMENT.AUTH_BACKOFF', 'wait', { 'Retry-After': '8' })).status).toBe(429);
    expect(filter.toResponse(new CreditCheckError('CHECK.BURST_REFUSED', 'burst', { retryAfterSeconds: 60 }))).toMatchObject({ status: 429, headers: { 'Retry-After': '60' } });
    expect(filter.toResponse(new CreditCheckError('CHECK.BURST_REFUSED', 'burst', { retryAfterSeconds: 'soon' })).headers).toBeUndefined();
    expect(filter.toResponse(new HttpRefusal('MANAGEMENT.NOT_AUTHENTICATED', 'token', { 'WWW-Authenticate': ['Bearer realm="management"'] }))).toMatchObject({ status: 401, headers: { 'WWW-Authenticate': ['Bearer realm="management"'] } });
  });

  it('names the reused id with 409 EVENT.ID_REUSED', () => {
    expect(filter.toResponse(idReusedError('/departments/tax', 'e-1')).status).toBe(409);
  });
});

describe('DomainErrorFilter answering on a platform response', () => {
  it('sends application/problem+json, keeping the refusal headers, and no path (it may carry an identifier)', () => {
    const headers: Record<string, unknown> = {};
    let sent: { body?: unknown; status?: number } = {};
    const replies = { setHeader: (_r: unknown, name: string, value: unknown) => void (headers[name] = value), reply: (_r: unknown, body: unknown, status?: number) => void (sent = { body, status }) };
    new DomainErrorFilter(replies as never).send(new HttpRefusal('REQUEST.RATE_LIMITED', 'slow down', { 'Retry-After': '42' }), { req: { originalUrl: '/v1/events?x=110101199003077777' } });
    expect(headers).toEqual({ 'Retry-After': '42', 'Content-Type': 'application/problem+json; charset=utf-8' });
    expect({ ...sent, body: JSON.parse(sent.body as string) }).toEqual({ status: 429, body: expect.objectContaining({ status: 429, code: 'REQUEST.RATE_LIMITED', type: '/problems/REQUEST.RATE_LIMITED' }) });
    expect(sent.body).not.toContain('110101199003077777');
  });
});

describe('DomainErrorFilter in a consumer (the engine inherits the app filters for its Kafka handlers)', () => {
  it('hands the failure back to the transport as it was, answering nothing, so the retry policy sees a transient one as transient', async () => {
    const replies = { setHeader: jest.fn(), reply: jest.fn() };
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const rpc = new ExecutionContextHost([{ messages: [] }, undefined]);
    rpc.setType('rpc');
    const result = new DomainErrorFilter(replies as never).catch(outage, rpc);
    expect(isObservable(result)).toBe(true);
    await expect(lastValueFrom(result as Observable<never>)).rejects.toBe(outage);
    expect(replies.reply).not.toHaveBeenCalled();
    expect(replies.setHeader).not.toHaveBeenCalled();
  });
});

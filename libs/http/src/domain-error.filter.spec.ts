import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError, EventValidationError } from '@app/domain';
import { DomainErrorFilter } from './domain-error.filter';

describe('DomainErrorFilter', () => {
  const filter = new DomainErrorFilter();

  it('maps domain error codes to 4xx with code, message and violations', () => {
    const { status, body } = filter.toResponse(new EventValidationError('EVENT.SCHEMA_VIOLATION', 'bad', [{ path: 'data.x', message: 'm' }]));
    expect(status).toBe(422);
    expect(body).toEqual({ error: { code: 'EVENT.SCHEMA_VIOLATION', message: 'bad', violations: [{ path: 'data.x', message: 'm' }] } });
    expect(filter.toResponse(new DomainError('DEPARTMENT.NOT_AUTHENTICATED', 'who?')).status).toBe(401);
    expect(filter.toResponse(new DomainError('SUBJECT.BAD_CHECK_DIGIT', 'x')).status).toBe(422);
  });

  it('turns the body parser\'s JSON failure into EVENT.MALFORMED_JSON', () => {
    const exception = new BadRequestException('Unexpected token } in JSON at position 3', { cause: { type: 'entity.parse.failed' } });
    expect(filter.toResponse(exception)).toEqual({ status: 400, body: { error: { code: 'EVENT.MALFORMED_JSON', message: 'request body is not valid JSON' } } });
  });

  it('gives unknown routes a code and hides internal errors', () => {
    expect(filter.toResponse(new NotFoundException('Cannot GET /nope')).body.error.code).toBe('REQUEST.NOT_FOUND');
    const internal = filter.toResponse(new Error('secret stack detail'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('secret');
  });
});

import { DECORATORS } from '@nestjs/swagger';
import { ApiProblems, DEPARTMENT_CALL_PROBLEMS } from './problem-responses';

class Example {
  @ApiProblems(...DEPARTMENT_CALL_PROBLEMS, 'CHECK.MISSING_APPROVAL_ITEM', 'REQUEST.INVALID', 'CHECK.BURST_REFUSED', 'SUBJECT.BAD_CHECK_DIGIT')
  route(): void {}
}

type Responses = Record<string, { description: string; headers?: Record<string, unknown>; content: Record<string, { schema: unknown; example: { status: number; code: string } }> }>;
const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, Example.prototype.route) as Responses;

describe('ApiProblems', () => {
  it('groups the codes by the status the error filter gives each, one response a status', () => {
    expect(Object.keys(responses).sort()).toEqual(['400', '401', '422', '429', '503']);
    expect(responses['400'].description).toBe('`CHECK.MISSING_APPROVAL_ITEM`, `REQUEST.INVALID`');
    expect(responses['429'].description).toBe('`DEPARTMENT.AUTH_BACKOFF`, `REQUEST.RATE_LIMITED`, `CHECK.BURST_REFUSED`');
  });

  it('answers each as Problem Details, with an example of its first code', () => {
    for (const [status, response] of Object.entries(responses)) {
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
      expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetailsDto' });
      expect(response.content['application/problem+json'].example).toMatchObject({ status: Number(status), type: expect.stringContaining(response.content['application/problem+json'].example.code) });
    }
    expect(responses['422'].content['application/problem+json'].example.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
  });

  it('names the challenge of a 401 and the wait of a 429 or 503', () => {
    expect(Object.keys(responses['401'].headers!)).toEqual(['WWW-Authenticate']);
    expect(Object.keys(responses['429'].headers!)).toEqual(['Retry-After']);
    expect(Object.keys(responses['503'].headers!)).toEqual(['Retry-After']);
    expect(responses['400'].headers).toBeUndefined();
  });
});

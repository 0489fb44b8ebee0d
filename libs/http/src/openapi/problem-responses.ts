import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../error-status';
import { PROBLEM_MEDIA_TYPE, ProblemDetailsDto } from './problem-details.dto';

/** What a department-authenticated route may answer whatever it does: a wrong token, too many calls, an outage. */
export const DEPARTMENT_CALL_PROBLEMS = ['DEPARTMENT.NOT_AUTHENTICATED', 'DEPARTMENT.AUTH_BACKOFF', 'REQUEST.RATE_LIMITED', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];

/** What an open route may answer whatever it does. */
export const OPEN_CALL_PROBLEMS = ['REQUEST.RATE_LIMITED', 'SERVICE.UNAVAILABLE'] as const satisfies readonly ErrorCode[];

const RETRY_AFTER: HeadersObject = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } };
const STATUS_HEADERS: Partial<Record<number, HeadersObject>> = {
  401: { 'WWW-Authenticate': { description: 'The Bearer challenge of the realm (RFC 6750).', schema: { type: 'string' } } },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/**
 * The error answers of a route, named by their stable codes: grouped by the status each code has
 * (ERROR_STATUS, the table the error filter answers with), every one a Problem Details body.
 * A code the engine does not have fails the typecheck.
 */
export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses = [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, group]) =>
      ApiResponse({
        status,
        description: group.map((code) => `\`${code}\``).join(', '),
        ...(STATUS_HEADERS[status] ? { headers: STATUS_HEADERS[status] } : {}),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) }, example: problemExample(group[0], status) } },
      }),
    );
  return applyDecorators(ApiExtraModels(ProblemDetailsDto), ...responses);
}

/** An example answer of a code; its title is the code in words (the filter's own titles may read better). */
function problemExample(code: ErrorCode, status: number): ProblemDetailsDto {
  const words = code.replace(/[._]/g, ' ').toLowerCase();
  return { type: `/problems/${code}`, title: words.charAt(0).toUpperCase() + words.slice(1), status, detail: `the request was refused: ${code}`, code };
}

import { INestApplication, NotFoundException } from '@nestjs/common';
import { DomainErrorFilter } from './domain-error.filter';
import { ERROR_KINDS, httpStatusFor, isErrorCode } from './error-status';
import { PROBLEM_TYPES_PATH, problemTitleOf, problemTypeOf } from './problem-details';

/** What `/problems/<code>` describes: the problem type a `type` member names. */
export interface ProblemType {
  type: string;
  title: string;
  status: number;
  code: string;
  kind: string;
}

export function problemTypeFor(code: string): ProblemType | undefined {
  if (!isErrorCode(code)) return undefined;
  return { type: problemTypeOf(code), title: problemTitleOf(code), status: httpStatusFor(code), code, kind: ERROR_KINDS[code] };
}

/**
 * Serves the description of each problem type at the relative URI that error answers carry in
 * `type`, on the platform's router (open like /health: it describes codes, not data). Registered
 * on the adapter rather than as a controller so that every app has it without a module change.
 */
export function serveProblemTypes(app: INestApplication, filter: DomainErrorFilter): void {
  const adapter = app.getHttpAdapter();
  adapter.get(`${PROBLEM_TYPES_PATH}/:code`, (request: { params: { code: string } }, response: unknown) => {
    const described = problemTypeFor(request.params.code);
    if (described) adapter.reply(response, described, 200);
    // The caller's text is not quoted back (a resident ID pasted into the path would be): a code is known or not.
    else filter.send(new NotFoundException(`no such problem type; the types are ${PROBLEM_TYPES_PATH}/<code> for the codes of the README's error table`), response);
  });
}

import { DomainError, ErrorKinds } from '@app/domain';

/** One problem in one rule file, addressed the way an editor shows it: file, JSON path, message. */
export interface RuleProblem {
  file: string;
  path: string;
  message: string;
}

export type RuleSetErrorCode = 'RULES.INVALID_FILE' | 'RULES.ILLEGAL_MEASURE' | 'RULES.INCONSISTENT_SET' | 'RULES.EMPTY_SET';

/** A rule set is refused when it is loaded or activated, never because of a caller's request. */
export const RULE_SET_ERROR_KINDS: ErrorKinds<RuleSetErrorCode> = {
  'RULES.INVALID_FILE': 'internal',
  'RULES.ILLEGAL_MEASURE': 'internal',
  'RULES.INCONSISTENT_SET': 'internal',
  'RULES.EMPTY_SET': 'internal',
};

/** A rule set was refused; every problem found is listed, not just the first. */
export class RuleSetError extends DomainError {
  declare readonly code: RuleSetErrorCode;

  constructor(code: RuleSetErrorCode, readonly problems: RuleProblem[]) {
    super(code, `rule set refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(formatProblem).join('\n')}`, {
      problems,
    });
  }
}

export function formatProblem(problem: RuleProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

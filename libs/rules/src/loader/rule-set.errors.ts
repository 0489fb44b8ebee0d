import { DomainError, ErrorKinds } from '@app/domain';

/**
 * What kind of mistake a problem is. Stable: the console translates messages by code, and
 * policy staff can search for one. Problems are the content of a refusal (RuleSetError) or of
 * rules:check's output, never an HTTP error of their own.
 */
export const RULE_PROBLEM_CODES = [
  'RULES.MISSING_FILE',
  'RULES.EMPTY_SET',
  'RULES.INVALID_JSON',
  'RULES.SCHEMA',
  'RULES.MISSING_PROPERTY',
  'RULES.UNKNOWN_PROPERTY',
  'RULES.INVALID_VALUE',
  'RULES.INVALID_CONDITION',
  'RULES.UNKNOWN_OPERATOR',
  'RULES.UNKNOWN_FACT',
  'RULES.UNKNOWN_DEPARTMENT',
  'RULES.UNKNOWN_LIST',
  'RULES.UNKNOWN_LIST_TYPE',
  'RULES.UNKNOWN_EVENT_TYPE',
  'RULES.UNKNOWN_SEVERITY',
  'RULES.UNKNOWN_SUBJECT_KIND',
  'RULES.UNKNOWN_ROLE',
  'RULES.UNKNOWN_MEASURE',
  'RULES.UNKNOWN_INSTRUMENT',
  'RULES.UNKNOWN_CLASS',
  'RULES.ILLEGAL_MEASURE',
  'RULES.INCONSISTENT_SET',
  'RULES.INCONSISTENT_CATALOGUE',
  'RULES.CITATION_WARNING',
  'RULES.NO_CASES',
  'RULES.OVERLAP',
  'RULES.CASE_FAILED',
  'RULES.INVALID_CASES',
] as const;
export type RuleProblemCode = (typeof RULE_PROBLEM_CODES)[number];

/**
 * One mistake in one rule file, addressed the way an editor shows it: file, JSON path, a stable
 * code, and a message quoting the bad value and, when one is close, what was probably meant.
 * `rules:check`, the engine's reload and the console all report these.
 */
export interface RuleProblem {
  severity: 'error' | 'warning';
  file: string;
  /** JSON path into the file, e.g. `$.rules[2].conditions.all[0].operator`. */
  path: string;
  code: RuleProblemCode;
  message: string;
  /** The offending value as written. */
  value?: unknown;
  /** The registry value or name it most probably should have been (did you mean). */
  suggestion?: string;
}

/** A problem as a check finds it, before the loader names the file and the severity. */
export type RuleFinding = Omit<RuleProblem, 'file' | 'severity' | 'code'> & { code?: RuleProblemCode };

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

/** One line a problem: `file:path  CODE  message`. */
export function formatProblem(problem: RuleProblem): string {
  return `${problem.file}:${problem.path}  ${problem.code}  ${problem.message}`;
}

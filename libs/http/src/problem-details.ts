/** RFC 9457's media type: every error answer of every app carries it. */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * Where each code's problem type is described: `/problems/<code>`, served by every app (see
 * problem-types.route.ts). A relative reference, so it stays right behind any host, port or TLS
 * terminator, and resolves against the app that answered; clients compare it as a string.
 */
export const PROBLEM_TYPES_PATH = '/problems';

/**
 * RFC 9457 Problem Details, as every app answers an error. `code` is the stable code to switch
 * on (an extension member); `type` and `title` follow from it; `detail` is for a person.
 */
export interface ProblemDetails {
  /** `/problems/<code>`: a URI reference naming the problem type. */
  type: string;
  /** Short, the same for every occurrence of the code. */
  title: string;
  /** The HTTP status of the answer. */
  status: number;
  detail: string;
  code: string;
  /** Field paths and what is wrong with each (schema violations, bad identifiers, feedback reports). */
  violations?: unknown[];
  /** Non-sensitive facts of the refusal (a limit, a state, a date). */
  context?: Record<string, unknown>;
  /**
   * RFC 9457's occurrence reference. Not set today: the request path would carry a subject's
   * identifier (/v1/subjects/<id>/check) into the answer unmasked; a request id would fit.
   */
  instance?: string;
}

export function problemTypeOf(code: string): string {
  return `${PROBLEM_TYPES_PATH}/${code}`;
}

/**
 * The title of a code, derived from it so it cannot drift or be missing: `EVENT.SCHEMA_VIOLATION`
 * is "Event: schema violation", `INTERNAL` "Internal error".
 */
export function problemTitleOf(code: string): string {
  const dot = code.indexOf('.');
  if (dot < 0) return `${sentence(code)} error`;
  return `${sentence(code.slice(0, dot))}: ${code.slice(dot + 1).toLowerCase().replace(/_/g, ' ')}`;
}

function sentence(word: string): string {
  const lower = word.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export function problemDetails(
  code: string,
  status: number,
  detail: string,
  extensions: { violations?: unknown[]; context?: Record<string, unknown> } = {},
): ProblemDetails {
  return {
    type: problemTypeOf(code),
    title: problemTitleOf(code),
    status,
    detail,
    code,
    ...(extensions.violations ? { violations: extensions.violations } : {}),
    ...(extensions.context && Object.keys(extensions.context).length > 0 ? { context: extensions.context } : {}),
  };
}

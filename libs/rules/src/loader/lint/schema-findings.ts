import { ErrorObject } from 'ajv';
import { RuleFinding } from '../rule-set.errors';
import { didYouMean, meant, quote } from './did-you-mean';

/** Keywords that only summarise their branches' errors; the branches say what is wrong. */
const SUMMARIES = new Set(['oneOf', 'anyOf', 'if', 'not', '$ref']);

const LEGALLY_REQUIRED: Record<string, string> = {
  legalBasis: 'no measure may be applied without a basis in law, regulation or central policy, cited down to the article',
  implementingDepartment: 'every measure must name the department that implements it',
};

/**
 * ajv's errors (run with `allErrors` and `verbose`) collapsed to one finding per location: a
 * mistake deep in a `oneOf` is reported once, at the deepest path a branch reached, instead
 * of once per branch and again for the `oneOf` itself (the loader's condition check reports
 * rule conditions, the schema's only oneOf, itself; this keeps any other readable). An unknown property is located at the
 * property, so two unknown properties stay two mistakes.
 */
export function schemaFindings(errors: readonly ErrorObject[]): RuleFinding[] {
  const located = errors.filter((e) => !SUMMARIES.has(e.keyword)).map((e) => ({ error: e, path: locationOf(e) }));
  // A branch of a oneOf that failed at the object is the noise of a branch that got further; other errors are mistakes of their own.
  const inBranch = (error: ErrorObject) => /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath);
  const deepest = located.filter(({ error, path }) => !inBranch(error) || !located.some((other) => other.path.startsWith(`${path}/`)));
  const byPath = new Map<string, ErrorObject>();
  for (const { error, path } of deepest) if (!byPath.has(path) || rank(error) < rank(byPath.get(path)!)) byPath.set(path, error);
  return [...byPath].map(([path, error]) => describe(toJsonPath(path), error));
}

/** The instance pointer a finding is reported at: an unknown property at the property itself. */
function locationOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  return error.instancePath;
}

/** At one location the most telling error first: a wrong value before a wrong type before the rest. */
function rank(error: ErrorObject): number {
  return ['enum', 'const', 'pattern', 'type', 'required', 'additionalProperties'].indexOf(error.keyword) >>> 0;
}

function describe(path: string, error: ErrorObject): RuleFinding {
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const why = LEGALLY_REQUIRED[missing];
      return { path, code: 'RULES.MISSING_PROPERTY', message: `missing required property "${missing}"${why ? `: ${why}` : ''}` };
    }
    case 'additionalProperties': {
      const property = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = didYouMean(property, known);
      return { path, code: 'RULES.UNKNOWN_PROPERTY', value: property, suggestion, message: `unknown property "${property}"${meant(suggestion)}` };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const suggestion = didYouMean(error.data, allowed.filter((v): v is string => typeof v === 'string'));
      return { path, code: 'RULES.INVALID_VALUE', value: error.data, suggestion, message: `${quote(error.data)} is not one of ${allowed.map(quote).join(', ')}${meant(suggestion)}` };
    }
    default:
      return { path, code: 'RULES.SCHEMA', value: error.data, message: `${quote(error.data)}: ${error.message ?? error.keyword}` };
  }
}

/** `/measures/2/legalBasis` → `$.measures[2].legalBasis`, the form editors and jq users read. */
export function toJsonPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`))
      .join('')
  );
}

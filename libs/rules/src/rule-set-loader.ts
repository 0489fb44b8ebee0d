import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { checkLegality } from './legality-check';
import { Memorandum } from './memorandum';
import { RuleSet } from './rule-set';
import { RuleProblem, RuleSetError } from './rule-set.errors';

export const MEMORANDUM_SCHEMA_FILE = 'memorandum.schema.json';

export interface RuleSetLoadOptions {
  /** Department codes from the registry; measures naming any other department are refused. */
  knownDepartments?: ReadonlySet<string>;
}

/** A rule file as read from disk, before validation. */
export interface RuleFile {
  file: string;
  content: string;
}

/** Memorandum files in a rules directory: every *.json but the schema and the *.cases.json files. */
export function listRuleFiles(rulesDir: string): string[] {
  return readdirSync(rulesDir)
    .filter((name) => name.endsWith('.json') && name !== MEMORANDUM_SCHEMA_FILE && !name.endsWith('.cases.json'))
    .sort()
    .map((name) => join(rulesDir, name));
}

export function loadRuleSet(rulesDir: string, options: RuleSetLoadOptions = {}): RuleSet {
  const schema = JSON.parse(readFileSync(join(rulesDir, MEMORANDUM_SCHEMA_FILE), 'utf8')) as object;
  const files = listRuleFiles(rulesDir).map((file) => ({ file, content: readFileSync(file, 'utf8') }));
  return buildRuleSet(files, schema, options);
}

const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * Validate rule files (syntax, schema, legality, consistency across files) and build
 * a rule set, or refuse the whole set with every problem found: a half-valid set
 * would silently drop a memorandum's sanctions.
 */
export function buildRuleSet(files: readonly RuleFile[], schema: object, options: RuleSetLoadOptions = {}): RuleSet {
  const validate = validatorFor(schema);
  const problems: RuleProblem[] = [];
  const memoranda: { file: string; memorandum: Memorandum }[] = [];

  for (const { file, content } of files) {
    const name = basename(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      problems.push({ file: name, path: '$', message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (!validate(parsed)) {
      problems.push(...(validate.errors ?? []).map((e) => ({ file: name, path: toJsonPath(e.instancePath), message: describe(e) })));
      continue;
    }
    const memorandum = parsed as Memorandum;
    if (`${memorandum.id}.json` !== name) problems.push({ file: name, path: '$.id', message: `id "${memorandum.id}" must equal the file name without .json` });
    problems.push(...checkLegality(memorandum, options.knownDepartments).map((p) => ({ file: name, ...p })));
    memoranda.push({ file: name, memorandum });
  }
  problems.push(...crossFileProblems(memoranda));

  if (problems.length > 0) {
    const illegalOnly = problems.every((p) => /measures/.test(p.path) && !/not valid JSON/.test(p.message));
    throw new RuleSetError(illegalOnly ? 'RULES.ILLEGAL_MEASURE' : 'RULES.INVALID_FILE', problems);
  }
  if (memoranda.length === 0) throw new RuleSetError('RULES.EMPTY_SET', [{ file: '(rules directory)', path: '$', message: 'no memorandum files found' }]);

  const revision = createHash('sha256');
  for (const { file, content } of [...files].sort((a, b) => basename(a.file).localeCompare(basename(b.file)))) {
    revision.update(basename(file)).update('\0').update(content).update('\0');
  }
  return new RuleSet(`sha256:${revision.digest('hex').slice(0, 16)}`, memoranda.map((m) => m.memorandum));
}

function crossFileProblems(memoranda: { file: string; memorandum: Memorandum }[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const lists = new Map<string, string>();
  const measureCodes = new Map<string, string>();
  for (const { file, memorandum } of memoranda) {
    const owner = lists.get(memorandum.list.code);
    if (owner) problems.push({ file, path: '$.list.code', message: `list "${memorandum.list.code}" is already the target of ${owner}` });
    lists.set(memorandum.list.code, file);
    memorandum.measures.forEach((measure, i) => {
      const other = measureCodes.get(measure.code);
      if (other && other !== file) problems.push({ file, path: `$.measures[${i}].code`, message: `measure code ${measure.code} is also used in ${other}` });
      measureCodes.set(measure.code, file);
    });
  }
  for (const { file, memorandum } of memoranda) {
    const target = memorandum.list.escalation?.toList;
    if (target && !lists.has(target)) problems.push({ file, path: '$.list.escalation.toList', message: `escalation target list "${target}" is defined by no memorandum` });
  }
  return problems;
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

const LEGALLY_REQUIRED: Record<string, string> = {
  legalBasis: 'no measure may be applied without a basis in law, regulation or central policy, cited down to the article',
  implementingDepartment: 'every measure must name the department that implements it',
};

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const why = LEGALLY_REQUIRED[missing];
      return `missing required property "${missing}"${why ? `: ${why}` : ''}`;
    }
    case 'additionalProperties':
      return `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}

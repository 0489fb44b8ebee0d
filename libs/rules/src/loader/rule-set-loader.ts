import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { chinaDate } from '@app/domain';
import { checkCatalogue, InstrumentCatalogue, InstrumentCatalogueFile } from './instrument-catalogue';
import { checkCitations, checkLegality, RepealedCitations } from './legality-check';
import { Memorandum, MemorandumFile } from './memorandum';
import { RuleSet } from './rule-set';
import { RuleProblem, RuleSetError } from './rule-set.errors';

export const MEMORANDUM_SCHEMA_FILE = 'memorandum.schema.json';
/** The published catalogue of instruments (利州方案 三(一)): a citation must name one of them. */
export const INSTRUMENTS_FILE = 'instruments.json';
export const INSTRUMENTS_SCHEMA_FILE = 'instruments.schema.json';

const NOT_MEMORANDA = new Set([MEMORANDUM_SCHEMA_FILE, INSTRUMENTS_FILE, INSTRUMENTS_SCHEMA_FILE]);

export interface RuleSetLoadOptions {
  /** Department codes from the registry; measures naming any other department are refused. */
  knownDepartments?: ReadonlySet<string>;
  /** China date (YYYY-MM-DD) citations are judged on: repealed by then is refused, repealed soon after warned of. Defaults to the current China date. */
  today?: string;
  /** Citations of instruments repealed by `today`: refused (the default, rules:check) or only warned of (the engine). */
  repealedCitations?: RepealedCitations;
}

/** A rule file as read from disk, before validation. */
export interface RuleFile {
  file: string;
  content: string;
}

/** Everything a rule set is built from: the memoranda, the instrument catalogue and their schemas. */
export interface RuleSources {
  memoranda: readonly RuleFile[];
  instruments: RuleFile;
  schemas: { memorandum: object; instruments: object };
}

/** Memorandum files in a rules directory: every *.json but the schemas, the catalogue and the *.cases.json files. */
export function listRuleFiles(rulesDir: string): string[] {
  return readdirSync(rulesDir)
    .filter((name) => name.endsWith('.json') && !NOT_MEMORANDA.has(name) && !name.endsWith('.cases.json'))
    .sort()
    .map((name) => join(rulesDir, name));
}

/** Every file a rule set is built from, for a reload to watch: the memoranda, the catalogue and both schemas. */
export function listRuleSourceFiles(rulesDir: string): string[] {
  return [...listRuleFiles(rulesDir), ...[...NOT_MEMORANDA].sort().map((name) => join(rulesDir, name)).filter((file) => existsSync(file))];
}

export function readRuleSources(rulesDir: string): RuleSources {
  const read = (file: string): RuleFile => ({ file, content: readFileSync(file, 'utf8') });
  const instrumentsFile = join(rulesDir, INSTRUMENTS_FILE);
  if (!existsSync(instrumentsFile)) {
    throw new RuleSetError('RULES.INVALID_FILE', [{ file: INSTRUMENTS_FILE, path: '$', message: 'the instrument catalogue is missing: every citation must name an instrument of it' }]);
  }
  return {
    memoranda: listRuleFiles(rulesDir).map(read),
    instruments: read(instrumentsFile),
    schemas: {
      memorandum: JSON.parse(readFileSync(join(rulesDir, MEMORANDUM_SCHEMA_FILE), 'utf8')) as object,
      instruments: JSON.parse(readFileSync(join(rulesDir, INSTRUMENTS_SCHEMA_FILE), 'utf8')) as object,
    },
  };
}

export function loadRuleSet(rulesDir: string, options: RuleSetLoadOptions = {}): RuleSet {
  return buildRuleSet(readRuleSources(rulesDir), options);
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
 * Validate rule files (syntax, schema, legality, citations against the catalogue,
 * consistency across files) and build a rule set, or refuse the whole set with every
 * problem found: a half-valid set would silently drop a memorandum's sanctions.
 */
export function buildRuleSet(sources: RuleSources, options: RuleSetLoadOptions = {}): RuleSet {
  const validate = validatorFor(sources.schemas.memorandum);
  const today = options.today ?? chinaDate(new Date());
  const catalogue = readCatalogue(sources.instruments, sources.schemas.instruments);
  const problems: RuleProblem[] = [...catalogue.problems];
  const warnings: RuleProblem[] = [];
  const memoranda: { file: string; memorandum: MemorandumFile }[] = [];

  for (const { file, content } of sources.memoranda) {
    const name = basename(file);
    const parsed = parseJson(name, content, problems);
    if (parsed === undefined) continue;
    if (!validate(parsed)) {
      problems.push(...schemaProblems(name, validate));
      continue;
    }
    const memorandum = parsed as MemorandumFile;
    if (`${memorandum.id}.json` !== name) problems.push({ file: name, path: '$.id', message: `id "${memorandum.id}" must equal the file name without .json` });
    problems.push(...checkLegality(memorandum, options.knownDepartments).map((p) => ({ file: name, ...p })));
    if (catalogue.instruments) {
      const citations = checkCitations(memorandum, catalogue.instruments, today, options.repealedCitations);
      problems.push(...citations.problems.map((p) => ({ file: name, ...p })));
      warnings.push(...citations.warnings.map((p) => ({ file: name, ...p })));
    }
    memoranda.push({ file: name, memorandum });
  }
  problems.push(...crossFileProblems(memoranda));

  if (problems.length > 0) {
    const illegalOnly = problems.every((p) => /measures/.test(p.path) && !/not valid JSON/.test(p.message));
    throw new RuleSetError(illegalOnly ? 'RULES.ILLEGAL_MEASURE' : 'RULES.INVALID_FILE', problems);
  }
  if (memoranda.length === 0) throw new RuleSetError('RULES.EMPTY_SET', [{ file: '(rules directory)', path: '$', message: 'no memorandum files found' }]);

  const revision = createHash('sha256');
  for (const { file, content } of [...sources.memoranda, sources.instruments].sort((a, b) => basename(a.file).localeCompare(basename(b.file)))) {
    revision.update(basename(file)).update('\0').update(content).update('\0');
  }
  const instruments = catalogue.instruments!;
  return new RuleSet(
    `sha256:${revision.digest('hex').slice(0, 16)}`,
    memoranda.map((m) => resolveCitations(m.memorandum, instruments)),
    instruments,
    warnings,
  );
}

function parseJson(name: string, content: string, problems: RuleProblem[]): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    problems.push({ file: name, path: '$', message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function schemaProblems(name: string, validate: ValidateFunction): RuleProblem[] {
  return (validate.errors ?? []).map((e) => ({ file: name, path: toJsonPath(e.instancePath), message: describe(e) }));
}

/** The catalogue file, validated like a rule file; without a valid catalogue no citation can be judged. */
function readCatalogue(source: RuleFile, schema: object): { instruments?: InstrumentCatalogue; problems: RuleProblem[] } {
  const name = basename(source.file);
  const problems: RuleProblem[] = [];
  const parsed = parseJson(name, source.content, problems);
  if (parsed === undefined) return { problems };
  const validate = validatorFor(schema);
  if (!validate(parsed)) return { problems: schemaProblems(name, validate) };
  const { instruments } = parsed as InstrumentCatalogueFile;
  const inconsistencies = checkCatalogue(instruments).map((p) => ({ file: name, ...p }));
  return inconsistencies.length > 0 ? { problems: inconsistencies } : { instruments: new InstrumentCatalogue(instruments), problems: [] };
}

/** Every citation replaced by the catalogued instrument it names (all of them exist: the set was checked). */
function resolveCitations(memorandum: MemorandumFile, catalogue: InstrumentCatalogue): Memorandum {
  return {
    ...memorandum,
    measures: memorandum.measures.map((measure) => ({
      ...measure,
      legalBasis: measure.legalBasis.map(({ instrument, article }) => ({ instrument: catalogue.get(instrument)!, article })),
    })),
  };
}

/** A memorandum of a rule set as its rule file writes it: citations back to catalogue ids. */
export function memorandumAsWritten(memorandum: Memorandum): MemorandumFile {
  return {
    ...memorandum,
    measures: memorandum.measures.map((measure) => ({
      ...measure,
      legalBasis: measure.legalBasis.map(({ instrument, article }) => ({ instrument: instrument.id, article })),
    })),
  };
}

function crossFileProblems(memoranda: { file: string; memorandum: MemorandumFile }[]): RuleProblem[] {
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

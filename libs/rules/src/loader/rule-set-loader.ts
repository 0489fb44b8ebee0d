import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { chinaDate } from '@app/domain';
import { checkCatalogue, InstrumentCatalogue, InstrumentCatalogueFile } from './instrument-catalogue';
import { checkCitations, checkLegality, RepealedCitations } from './legality-check';
import { Memorandum, MemorandumFile } from './memorandum';
import { RuleSet } from './rule-set';
import { RuleFinding, RuleProblem, RuleProblemCode, RuleSetError } from './rule-set.errors';
import { ruleConditionFindings } from './lint/condition-findings';
import { schemaFindings } from './lint/schema-findings';
import { didYouMean, meant } from './lint/did-you-mean';

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

/** The name a memorandum's file may take when a caller names one (a draft, a what-if, a release): `<id>.json`, the id in lower-case words joined by hyphens. */
export const MEMORANDUM_FILE_NAME = /^(?=[a-z0-9-]{1,80}\.json$)[a-z0-9]+(?:-[a-z0-9]+)*\.json$/;

/** Whether a file of a rules directory is a memorandum: every *.json but the schemas, the catalogue and the *.cases.json files. */
export function isMemorandumFile(name: string): boolean {
  return name.endsWith('.json') && !NOT_MEMORANDA.has(name) && !name.endsWith('.cases.json') && !name.endsWith('.schema.json');
}

/** The rule cases' file of a memorandum: `<id>.cases.json` beside `<id>.json`. */
export function ruleCaseFileName(memorandumId: string): string {
  return `${memorandumId}.cases.json`;
}

export function isRuleCaseFileName(name: string): boolean {
  return name.endsWith('.cases.json');
}

/** Whether a name a caller gives is one a memorandum's file may take (not a schema, the catalogue or rule cases). */
export function isMemorandumFileName(name: string): boolean {
  return MEMORANDUM_FILE_NAME.test(name) && isMemorandumFile(name);
}

/** Memorandum files in a rules directory, in name order. */
export function listRuleFiles(rulesDir: string): string[] {
  return readdirSync(rulesDir)
    .filter(isMemorandumFile)
    .sort()
    .map((name) => join(rulesDir, name));
}

/** Every file a rule set is built from, for a reload to watch: the memoranda, the catalogue and both schemas. */
export function listRuleSourceFiles(rulesDir: string): string[] {
  return [...listRuleFiles(rulesDir), ...[...NOT_MEMORANDA].sort().map((name) => join(rulesDir, name)).filter((file) => existsSync(file))];
}

/** The memorandum files and the catalogue of a rules directory as read, without the schemas (an exported release holds none). */
export function readRuleFiles(rulesDir: string): Pick<RuleSources, 'memoranda' | 'instruments'> {
  const read = (file: string): RuleFile => ({ file, content: readFileSync(file, 'utf8') });
  const instrumentsFile = join(rulesDir, INSTRUMENTS_FILE);
  if (!existsSync(instrumentsFile)) {
    throw new RuleSetError('RULES.INVALID_FILE', [{ severity: 'error', file: INSTRUMENTS_FILE, path: '$', code: 'RULES.MISSING_FILE', message: 'the instrument catalogue is missing: every citation must name an instrument of it' }]);
  }
  return { memoranda: listRuleFiles(rulesDir).map(read), instruments: read(instrumentsFile) };
}

export function readRuleSources(rulesDir: string): RuleSources {
  return {
    ...readRuleFiles(rulesDir),
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
    validate = new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(schema);
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

  const parsedFiles = sources.memoranda.map(({ file, content }) => ({ name: basename(file), parsed: parseJson(basename(file), content, problems) }));
  // Conditions may name any list of the set, the file's own included, so lists are read first.
  const lists = new Set(parsedFiles.map(({ parsed }) => (parsed as { list?: { code?: unknown } } | undefined)?.list?.code).filter((code): code is string => typeof code === 'string'));

  for (const { name, parsed } of parsedFiles) {
    if (parsed === undefined) continue;
    const inFile = asProblems(name, 'error');
    const conditions = ruleConditionFindings(parsed, { departments: options.knownDepartments, lists });
    problems.push(...conditions.flat().map(inFile('RULES.INVALID_CONDITION')));
    if (!validate(parsed)) {
      // The condition check already said what is wrong in a rule's conditions, once a mistake; ajv's oneOf errors there are its noise.
      const checked = (path: string) => conditions.some((found, i) => found.length > 0 && isAtOrBelow(path, `$.rules[${i}].conditions`));
      problems.push(...schemaFindings(validate.errors ?? []).filter((f) => !checked(f.path)).map(inFile('RULES.SCHEMA')));
      continue;
    }
    const memorandum = parsed as MemorandumFile;
    if (`${memorandum.id}.json` !== name) problems.push(inFile('RULES.INVALID_VALUE')({ path: '$.id', value: memorandum.id, message: `id "${memorandum.id}" must equal the file name without .json` }));
    problems.push(...checkLegality(memorandum, options.knownDepartments).map(inFile('RULES.ILLEGAL_MEASURE')));
    if (catalogue.instruments) {
      const citations = checkCitations(memorandum, catalogue.instruments, today, options.repealedCitations);
      problems.push(...citations.problems.map(inFile('RULES.ILLEGAL_MEASURE')));
      warnings.push(...citations.warnings.map(asProblems(name, 'warning')('RULES.CITATION_WARNING')));
    }
    memoranda.push({ file: name, memorandum });
  }
  problems.push(...crossFileProblems(memoranda));

  if (problems.length > 0) {
    const illegalOnly = problems.every((p) => /measures/.test(p.path) && p.code !== 'RULES.INVALID_JSON');
    throw new RuleSetError(illegalOnly ? 'RULES.ILLEGAL_MEASURE' : 'RULES.INVALID_FILE', problems);
  }
  if (memoranda.length === 0) throw new RuleSetError('RULES.EMPTY_SET', [{ severity: 'error', file: '(rules directory)', path: '$', code: 'RULES.EMPTY_SET', message: 'no memorandum files found' }]);

  const instruments = catalogue.instruments!;
  return new RuleSet(
    ruleSourcesRevision(sources),
    memoranda.map((m) => resolveCitations(m.memorandum, instruments)),
    instruments,
    warnings,
  );
}

/** Whether a JSON path is `base` or inside it. */
function isAtOrBelow(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

function parseJson(name: string, content: string, problems: RuleProblem[]): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    problems.push({ severity: 'error', file: name, path: '$', code: 'RULES.INVALID_JSON', message: `not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/** Findings of a check in one file as problems of that severity, with the check's code unless a finding has its own. */
function asProblems(file: string, severity: RuleProblem['severity']) {
  return (code: RuleProblemCode) =>
    (finding: RuleFinding): RuleProblem => ({ severity, file, ...finding, code: finding.code ?? code });
}

function schemaProblems(name: string, validate: ValidateFunction): RuleProblem[] {
  return schemaFindings(validate.errors ?? []).map(asProblems(name, 'error')('RULES.SCHEMA'));
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
  const inconsistencies = checkCatalogue(instruments).map(asProblems(name, 'error')('RULES.INCONSISTENT_CATALOGUE'));
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
    if (owner) problems.push({ severity: 'error', file, path: '$.list.code', code: 'RULES.INCONSISTENT_SET', value: memorandum.list.code, message: `list "${memorandum.list.code}" is already the target of ${owner}` });
    lists.set(memorandum.list.code, file);
    memorandum.measures.forEach((measure, i) => {
      const other = measureCodes.get(measure.code);
      if (other && other !== file) problems.push({ severity: 'error', file, path: `$.measures[${i}].code`, code: 'RULES.INCONSISTENT_SET', value: measure.code, message: `measure code ${measure.code} is also used in ${other}` });
      measureCodes.set(measure.code, file);
    });
  }
  for (const { file, memorandum } of memoranda) {
    const target = memorandum.list.escalation?.toList;
    if (target && !lists.has(target)) {
      const suggestion = didYouMean(target, lists.keys());
      problems.push({ severity: 'error', file, path: '$.list.escalation.toList', code: 'RULES.UNKNOWN_LIST', value: target, suggestion, message: `escalation target list "${target}" is defined by no memorandum${meant(suggestion)}` });
    }
  }
  return problems;
}

export { toJsonPath } from './lint/schema-findings';

/** The content hash a rule set built from these sources has (its `revision`), without building it: every file's name and text. */
export function ruleSourcesRevision(sources: Pick<RuleSources, 'memoranda' | 'instruments'>): string {
  const revision = createHash('sha256');
  for (const { file, content } of [...sources.memoranda, sources.instruments].sort((a, b) => basename(a.file).localeCompare(basename(b.file)))) {
    revision.update(basename(file)).update('\0').update(content).update('\0');
  }
  return `sha256:${revision.digest('hex').slice(0, 16)}`;
}

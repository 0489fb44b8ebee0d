import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { InstrumentCatalogue } from '../loader/instrument-catalogue';
import { conditionFindings } from '../loader/lint/condition-findings';
import { didYouMean, meant } from '../loader/lint/did-you-mean';
import { schemaFindings } from '../loader/lint/schema-findings';
import type { RuleFile } from '../loader/rule-set-loader';
import { RuleFinding, RuleProblem, RuleProblemCode, RuleSetError } from '../loader/rule-set.errors';
import { CLASS_FACTS, CreditClassModel, CreditClassModelFile } from './credit-class-model';

/** Class models live in a directory of their own under rules/, so the memorandum loader (rules/*.json) never reads one. */
export const CLASS_MODELS_DIR = 'classes';
export const CLASS_MODEL_SCHEMA_FILE = 'credit-class-model.schema.json';

/** Every file class models are built from: the models (`<id>.json`) and their schema. */
export interface ClassModelSources {
  models: readonly RuleFile[];
  schema: object | undefined;
}

export interface ClassModelCheckOptions {
  /** Department codes from the registry: the owner and every department told must be one. */
  knownDepartments?: ReadonlySet<string>;
  /** The instrument catalogue the memoranda are checked against: the model's basis must cite it. */
  instruments: InstrumentCatalogue;
}

/** Whether a file of rules/classes is a model: every *.json but its schema and the *.cases.json files. */
export function isClassModelFile(name: string): boolean {
  return name.endsWith('.json') && !name.endsWith('.cases.json') && !name.endsWith('.schema.json');
}

/** The models and schema of rules/classes, none when the directory is absent (a rules directory without class models). */
export function readClassModelSources(rulesDir: string): ClassModelSources {
  const dir = join(rulesDir, CLASS_MODELS_DIR);
  if (!existsSync(dir)) return { models: [], schema: undefined };
  const models = readdirSync(dir)
    .filter(isClassModelFile)
    .sort()
    .map((name) => ({ file: join(dir, name), content: readFileSync(join(dir, name), 'utf8') }));
  const schemaFile = join(dir, CLASS_MODEL_SCHEMA_FILE);
  return { models, schema: existsSync(schemaFile) ? (JSON.parse(readFileSync(schemaFile, 'utf8')) as object) : undefined };
}

/** The name problems of a model's file are reported under: its path in the rules directory. */
export function classModelFileName(file: string): string {
  return `${CLASS_MODELS_DIR}/${basename(file)}`;
}

let cachedValidator: { schema: object; validate: ValidateFunction } | undefined;

function validatorFor(schema: object): ValidateFunction {
  if (cachedValidator?.schema !== schema) cachedValidator = { schema, validate: new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(schema) };
  return cachedValidator.validate;
}

/**
 * Every model checked — schema, conditions against the class facts, classes declared, rule
 * names unique, departments and citations known — and those without a problem, built. The
 * engine refuses to start on any problem; rules:check prints them.
 */
export function checkClassModels(sources: ClassModelSources, options: ClassModelCheckOptions): { models: CreditClassModel[]; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const models: CreditClassModel[] = [];
  if (sources.models.length === 0) return { models, problems };
  if (!sources.schema) {
    problems.push({ severity: 'error', file: `${CLASS_MODELS_DIR}/${CLASS_MODEL_SCHEMA_FILE}`, path: '$', code: 'RULES.MISSING_FILE', message: 'the schema of credit class models is missing' });
    return { models, problems };
  }
  const validate = validatorFor(sources.schema);
  const ids = new Set<string>();
  for (const { file, content } of sources.models) {
    const name = classModelFileName(file);
    const inFile = (code: RuleProblemCode) => (finding: RuleFinding): RuleProblem => ({ severity: 'error', file: name, ...finding, code: finding.code ?? code });
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      problems.push({ severity: 'error', file: name, path: '$', code: 'RULES.INVALID_JSON', message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const rules = (parsed as { rules?: unknown }).rules;
    const conditions = (Array.isArray(rules) ? rules : []).map((rule: unknown, i) =>
      rule && typeof rule === 'object' && 'conditions' in rule ? conditionFindings(rule.conditions, `$.rules[${i}].conditions`, { lists: new Set(), facts: { names: CLASS_FACTS, providedBy: 'class models may test' } }) : [],
    );
    problems.push(...conditions.flat().map(inFile('RULES.INVALID_CONDITION')));
    if (!validate(parsed)) {
      const checked = (path: string) => conditions.some((found, i) => found.length > 0 && path.startsWith(`$.rules[${i}].conditions`));
      problems.push(...schemaFindings(validate.errors ?? []).filter((f) => !checked(f.path)).map(inFile('RULES.SCHEMA')));
      continue;
    }
    const model = parsed as CreditClassModelFile;
    const found = [...modelFindings(model, name, options), ...(ids.has(model.id) ? [{ path: '$.id', code: 'RULES.INCONSISTENT_SET' as const, value: model.id, message: `model "${model.id}" is defined twice` }] : [])];
    ids.add(model.id);
    if (conditions.flat().length + found.length > 0) {
      problems.push(...found.map(inFile('RULES.INVALID_VALUE')));
      continue;
    }
    models.push({ ...model, revision: classModelRevision(content) });
  }
  return { models, problems };
}

/** Models of a rules directory, or a RuleSetError naming every problem. */
export function loadClassModels(rulesDir: string, options: ClassModelCheckOptions): CreditClassModel[] {
  const { models, problems } = checkClassModels(readClassModelSources(rulesDir), options);
  if (problems.length > 0) throw new RuleSetError('RULES.INVALID_FILE', problems);
  return models;
}

function modelFindings(model: CreditClassModelFile, name: string, options: ClassModelCheckOptions): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (`${CLASS_MODELS_DIR}/${model.id}.json` !== name) findings.push({ path: '$.id', value: model.id, message: `id "${model.id}" must equal the file name without .json` });
  const codes = model.classes.map((c) => c.code);
  model.classes.forEach((c, i) => {
    if (codes.indexOf(c.code) !== i) findings.push({ path: `$.classes[${i}].code`, code: 'RULES.INCONSISTENT_SET', value: c.code, message: `class "${c.code}" is declared twice` });
  });
  const knownClass = (code: string, path: string) => {
    if (codes.includes(code)) return;
    const suggestion = didYouMean(code, codes);
    findings.push({ path, code: 'RULES.UNKNOWN_CLASS', value: code, suggestion, message: `class "${code}" is not one the model declares (${codes.join(', ')})${meant(suggestion)}` });
  };
  knownClass(model.defaultClass, '$.defaultClass');
  knownClass(model.otherwiseClass, '$.otherwiseClass');
  const names = model.rules.map((r) => r.name);
  model.rules.forEach((rule, i) => {
    knownClass(rule.class, `$.rules[${i}].class`);
    if (names.indexOf(rule.name) !== i) findings.push({ path: `$.rules[${i}].name`, code: 'RULES.INCONSISTENT_SET', value: rule.name, message: `rule name "${rule.name}" is used twice: cases and explanations name rules` });
  });
  const departments = options.knownDepartments;
  if (departments) {
    for (const [path, code] of [['$.owner', model.owner], ...model.publishTo.map((d, i) => [`$.publishTo[${i}]`, d])] as const) {
      if (departments.has(code)) continue;
      const suggestion = didYouMean(code, departments);
      findings.push({ path, code: 'RULES.UNKNOWN_DEPARTMENT', value: code, suggestion, message: `department "${code}" is not in the registry (config/departments.json)${meant(suggestion)}` });
    }
  }
  model.legalBasis.forEach(({ instrument }, i) => {
    if (options.instruments.get(instrument)) return;
    const suggestion = didYouMean(instrument, options.instruments.instruments.map((x) => x.id));
    findings.push({ path: `$.legalBasis[${i}].instrument`, code: 'RULES.UNKNOWN_INSTRUMENT', value: instrument, suggestion, message: `instrument "${instrument}" is not in the catalogue (rules/instruments.json)${meant(suggestion)}` });
  });
  return findings;
}

/** The content hash of a model's file: a stored class names exactly the model it was given under. */
export function classModelRevision(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

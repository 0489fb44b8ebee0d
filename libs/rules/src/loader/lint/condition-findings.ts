import { ALL_EVENT_TYPES, ASSOCIATION_SANCTIONS, PENALTY_SEVERITIES, RELATED_PERSON_ROLES, SUBJECT_KINDS } from '@app/domain';
import { RuleFinding, RuleProblemCode } from '../rule-set.errors';
import { didYouMean, meant, quote } from './did-you-mean';

/** The facts a condition may test: those every event provides (CreditFacts, which the compiler keeps equal to this list). */
export const CONDITION_FACTS = [
  'eventType',
  'sourceDepartment',
  'subjectKind',
  'listCode',
  'listType',
  'severity',
  'penaltyType',
  'reason',
  'ratingScheme',
  'grade',
  'honourCode',
  'commitmentType',
  'sanction',
  'industry',
  'relatedRoles',
  'fineAmountYuan',
  'termDays',
] as const;

/** json-rules-engine's default operators, the only ones its engines here are given (the schema's operator enum). */
export const CONDITION_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const FACT_CONDITION_KEYS = ['fact', 'operator', 'value', 'path'] as const;
const LIST_TYPES = ['black', 'red', 'key-attention'];

/** Registries a condition's value is checked against, beyond the fixed catalogues of the domain. */
export interface ConditionRegistries {
  /** Department codes (config/departments.json); unchecked when absent. */
  departments?: ReadonlySet<string>;
  /** List codes the memoranda of the set define. */
  lists: ReadonlySet<string>;
  /** The facts a condition may name, when not an event's (CONDITION_FACTS): a credit class model's, say. */
  facts?: { names: readonly string[]; providedBy: string };
}

interface Registry {
  code: RuleProblemCode;
  noun: string;
  values: Iterable<string>;
}

function registryOf(fact: string, registries: ConditionRegistries): Registry | undefined {
  switch (fact) {
    case 'eventType':
      return { code: 'RULES.UNKNOWN_EVENT_TYPE', noun: 'event type of the event catalogue', values: ALL_EVENT_TYPES };
    case 'sourceDepartment':
      return registries.departments && { code: 'RULES.UNKNOWN_DEPARTMENT', noun: 'department of the registry (config/departments.json)', values: registries.departments };
    case 'listCode':
      return { code: 'RULES.UNKNOWN_LIST', noun: 'list a memorandum defines', values: registries.lists };
    case 'listType':
      return { code: 'RULES.UNKNOWN_LIST_TYPE', noun: 'list type', values: LIST_TYPES };
    case 'severity':
      return { code: 'RULES.UNKNOWN_SEVERITY', noun: 'severity', values: [...PENALTY_SEVERITIES, 'none'] };
    case 'subjectKind':
      return { code: 'RULES.UNKNOWN_SUBJECT_KIND', noun: 'subject kind', values: SUBJECT_KINDS };
    case 'sanction':
      return { code: 'RULES.INVALID_VALUE', noun: 'association sanction', values: ASSOCIATION_SANCTIONS };
    case 'relatedRoles':
      return { code: 'RULES.UNKNOWN_ROLE', noun: 'related-person role', values: RELATED_PERSON_ROLES };
    default:
      return undefined;
  }
}

/**
 * Every mistake in one rule's conditions, one finding each, checked by hand rather than read
 * from the schema's errors: a condition is a `oneOf` of a boolean node and a fact test, so a
 * typo in an operator fails both branches and ajv reports every way each branch failed. Here
 * the shape decides the branch (a `fact` key makes a fact test), so an operator typo is one
 * finding at `...operator` quoting the typo and the operator meant. Values of facts that name
 * a registry entry (department, list, event type, severity, subject kind, role) are checked
 * against the registry, which the schema cannot do.
 */
export function conditionFindings(conditions: unknown, path: string, registries: ConditionRegistries): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (isObject(conditions) && 'fact' in conditions) {
    findings.push({ path, code: 'RULES.INVALID_CONDITION', message: 'a rule\'s conditions start with "all", "any" or "not", whose conditions then test facts' });
    return findings;
  }
  walk(conditions, path, registries, findings);
  return findings;
}

/** The findings of each rule's conditions in a parsed (not yet validated) memorandum file, by rule index. */
export function ruleConditionFindings(parsed: unknown, registries: ConditionRegistries): RuleFinding[][] {
  const rules = (parsed as { rules?: unknown } | undefined)?.rules;
  return (Array.isArray(rules) ? rules : []).map((rule: unknown, i) => (isObject(rule) && 'conditions' in rule ? conditionFindings(rule.conditions, `$.rules[${i}].conditions`, registries) : []));
}

function walk(condition: unknown, path: string, registries: ConditionRegistries, findings: RuleFinding[]): void {
  if (!isObject(condition)) {
    findings.push({ path, code: 'RULES.INVALID_CONDITION', value: condition, message: `${quote(condition)} is no condition: write { "fact", "operator", "value" } or { "all" | "any" | "not": … }` });
    return;
  }
  const keys = Object.keys(condition);
  const booleans = BOOLEAN_KEYS.filter((key) => key in condition);
  if ('fact' in condition) return walkFactCondition(condition, path, registries, findings);
  if (booleans.length === 0) {
    const stray = keys[0];
    const suggestion = didYouMean(stray, [...BOOLEAN_KEYS, ...FACT_CONDITION_KEYS]);
    findings.push({
      path: stray === undefined ? path : `${path}${member(stray)}`,
      code: 'RULES.INVALID_CONDITION',
      value: stray,
      suggestion,
      message: `a condition needs "fact", "operator" and "value", or one of "all", "any", "not"${stray === undefined ? '' : `; found "${stray}"`}${meant(suggestion)}`,
    });
    return;
  }
  if (booleans.length > 1) {
    findings.push({ path, code: 'RULES.INVALID_CONDITION', message: `a condition has one of "all", "any", "not", not ${booleans.map(quote).join(' and ')}: nest them` });
    return;
  }
  for (const key of keys.filter((k) => !(BOOLEAN_KEYS as readonly string[]).includes(k))) findings.push(unknownProperty(path, key, BOOLEAN_KEYS));
  const [key] = booleans;
  const children = condition[key];
  if (key === 'not') return walk(children, `${path}.not`, registries, findings);
  if (!Array.isArray(children)) {
    findings.push({ path: `${path}.${key}`, code: 'RULES.INVALID_CONDITION', value: children, message: `"${key}" takes a list of conditions, not ${quote(children)}` });
    return;
  }
  children.forEach((child, i) => walk(child, `${path}.${key}[${i}]`, registries, findings));
}

function walkFactCondition(condition: Record<string, unknown>, path: string, registries: ConditionRegistries, findings: RuleFinding[]): void {
  for (const key of Object.keys(condition).filter((k) => !(FACT_CONDITION_KEYS as readonly string[]).includes(k))) findings.push(unknownProperty(path, key, FACT_CONDITION_KEYS));
  const { fact, operator, value } = condition;
  const facts = registries.facts ?? { names: CONDITION_FACTS, providedBy: 'events provide' };
  const factKnown = typeof fact === 'string' && facts.names.includes(fact);
  if (!factKnown) {
    const suggestion = didYouMean(fact, facts.names);
    findings.push({ path: `${path}.fact`, code: 'RULES.UNKNOWN_FACT', value: fact, suggestion, message: `unknown fact ${quote(fact)}${suggestion ? meant(suggestion) : `: ${facts.providedBy} ${facts.names.join(', ')}`}` });
  }
  const operatorKnown = typeof operator === 'string' && (CONDITION_OPERATORS as readonly string[]).includes(operator);
  if (!('operator' in condition)) findings.push({ path, code: 'RULES.MISSING_PROPERTY', message: 'missing required property "operator"' });
  else if (!operatorKnown) {
    const suggestion = didYouMean(operator, CONDITION_OPERATORS);
    findings.push({ path: `${path}.operator`, code: 'RULES.UNKNOWN_OPERATOR', value: operator, suggestion, message: `unknown operator ${quote(operator)}${suggestion ? meant(suggestion) : `: use one of ${CONDITION_OPERATORS.join(', ')}`}` });
  }
  if (!('value' in condition)) {
    findings.push({ path, code: 'RULES.MISSING_PROPERTY', message: 'missing required property "value"' });
    return;
  }
  if ('path' in condition && typeof condition.path !== 'string') {
    findings.push({ path: `${path}.path`, code: 'RULES.INVALID_VALUE', value: condition.path, message: `"path" is a JSONPath string, not ${quote(condition.path)}` });
  }
  if (!operatorKnown) return;
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) {
    findings.push({ path: `${path}.value`, code: 'RULES.INVALID_VALUE', value, message: `operator "${operator}" takes a list of values, not ${quote(value)}; use "${operator === 'in' ? 'equal' : 'notEqual'}" for one` });
    return;
  }
  // With a path the condition tests a part of the fact, which no registry describes.
  const registry = factKnown && !('path' in condition) ? registryOf(fact, registries) : undefined;
  if (!registry || !['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain'].includes(operator)) return;
  const known = new Set(registry.values);
  const tested = Array.isArray(value) ? value.map((v, i) => ({ v, at: `${path}.value[${i}]` })) : [{ v: value, at: `${path}.value` }];
  for (const { v, at } of tested) {
    if (typeof v === 'string' && known.has(v)) continue;
    const suggestion = didYouMean(v, known);
    findings.push({ path: at, code: registry.code, value: v, suggestion, message: `${fact} ${quote(v)} is no ${registry.noun}${meant(suggestion)}` });
  }
}

function unknownProperty(path: string, key: string, known: readonly string[]): RuleFinding {
  const suggestion = didYouMean(key, known);
  return { path: `${path}${member(key)}`, code: 'RULES.UNKNOWN_PROPERTY', value: key, suggestion, message: `unknown property "${key}" in a condition${meant(suggestion)}` };
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { TopLevelCondition } from 'json-rules-engine';
import { Memorandum, SeverityRequired } from './memorandum';

export interface LegalityProblem {
  path: string;
  message: string;
}

/**
 * DOMAIN §3: no measure without a legal basis and an implementing department, and a
 * measure meant for serious dishonesty must never be reachable by general dishonesty.
 * The severity guard must sit in the rule's top-level `all`, where it gates every path.
 */
export function checkLegality(memorandum: Memorandum, knownDepartments?: ReadonlySet<string>): LegalityProblem[] {
  const problems: LegalityProblem[] = [];
  const measureIndex = new Map<string, number>();
  memorandum.measures.forEach((m, i) => measureIndex.has(m.code) || measureIndex.set(m.code, i));

  memorandum.measures.forEach((measure, i) => {
    const at = `$.measures[${i}]`;
    if (!measure.legalBasis?.length || measure.legalBasis.some((b) => !b.instrument?.trim() || !b.article?.trim())) {
      problems.push({ path: `${at}.legalBasis`, message: `measure ${measure.code} has no complete legal basis (instrument and article); no measure may be applied without one` });
    }
    if (!measure.implementingDepartment?.trim()) {
      problems.push({ path: `${at}.implementingDepartment`, message: `measure ${measure.code} names no implementing department` });
    } else if (knownDepartments && !knownDepartments.has(measure.implementingDepartment)) {
      problems.push({ path: `${at}.implementingDepartment`, message: `measure ${measure.code}: unknown department "${measure.implementingDepartment}"` });
    }
    for (const [j, cooperating] of (measure.cooperatingDepartments ?? []).entries()) {
      if (knownDepartments && !knownDepartments.has(cooperating)) {
        problems.push({ path: `${at}.cooperatingDepartments[${j}]`, message: `measure ${measure.code}: unknown department "${cooperating}"` });
      }
    }
    if (measureIndex.get(measure.code) !== i) problems.push({ path: `${at}.code`, message: `measure code ${measure.code} is used twice` });
  });

  if (knownDepartments && !knownDepartments.has(memorandum.list.identifyingDepartment)) {
    problems.push({ path: '$.list.identifyingDepartment', message: `unknown department "${memorandum.list.identifyingDepartment}"` });
  }
  if (memorandum.list.defaultTermDays > memorandum.list.maxTermDays) {
    problems.push({ path: '$.list.defaultTermDays', message: 'the default term exceeds the maximum term' });
  }

  memorandum.rules.forEach((rule, i) => {
    const guarded = severityGuardOf(rule.conditions);
    rule.measures.forEach((code, j) => {
      const at = `$.rules[${i}].measures[${j}]`;
      const index = measureIndex.get(code);
      if (index === undefined) {
        problems.push({ path: at, message: `rule ${rule.name} references unknown measure ${code}` });
        return;
      }
      const required = memorandum.measures[index].severityRequired;
      if (!admits(guarded, required)) {
        problems.push({
          path: at,
          message:
            `measure ${code} requires ${required} dishonesty but rule ${rule.name} does not restrict severity accordingly; ` +
            `add to its top-level "all" ${required === 'serious' ? '{ "fact": "severity", "operator": "equal", "value": "serious" }' : '{ "fact": "severity", "operator": "in", "value": ["general", "serious"] }'}`,
        });
      }
    });
  });
  return problems;
}

type Severity = 'minor' | 'general' | 'serious' | 'none';
const ALL_SEVERITIES: readonly Severity[] = ['minor', 'general', 'serious', 'none'];

/** The severities a rule can possibly match, read from its top-level `all` guards. */
export function severityGuardOf(conditions: TopLevelCondition): ReadonlySet<Severity> {
  let admitted = new Set<Severity>(ALL_SEVERITIES);
  if (!('all' in conditions)) return admitted;
  for (const condition of conditions.all) {
    if (!('fact' in condition) || condition.fact !== 'severity' || condition.path) continue;
    const allowed = allowedBy(condition.operator, condition.value);
    if (allowed) admitted = new Set([...admitted].filter((s) => allowed.has(s)));
  }
  return admitted;
}

function allowedBy(operator: string, value: unknown): Set<Severity> | undefined {
  const values = Array.isArray(value) ? value : [value];
  switch (operator) {
    case 'equal':
      return new Set(ALL_SEVERITIES.filter((s) => s === value));
    case 'in':
      return new Set(ALL_SEVERITIES.filter((s) => values.includes(s)));
    case 'notEqual':
      return new Set(ALL_SEVERITIES.filter((s) => s !== value));
    case 'notIn':
      return new Set(ALL_SEVERITIES.filter((s) => !values.includes(s)));
    default:
      return undefined;
  }
}

function admits(guarded: ReadonlySet<Severity>, required: SeverityRequired): boolean {
  if (required === 'any') return true;
  const permitted: readonly Severity[] = required === 'serious' ? ['serious'] : ['general', 'serious'];
  return [...guarded].every((s) => permitted.includes(s));
}

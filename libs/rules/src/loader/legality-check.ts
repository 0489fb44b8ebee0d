import { TopLevelCondition } from 'json-rules-engine';
import { addDays, differenceInDays } from '../dates/calendar-days';
import { Instrument, InstrumentCatalogue, isInForceOn, levelSuffices } from './instrument-catalogue';
import { MemorandumFile, SeverityRequired } from './memorandum';
import { RuleFinding } from './rule-set.errors';
import { didYouMean, meant } from './lint/did-you-mean';

export type LegalityProblem = RuleFinding;

/**
 * DOMAIN §3: no measure without a legal basis and an implementing department, and a
 * measure meant for serious dishonesty must never be reachable by general dishonesty.
 * The severity guard must sit in the rule's top-level `all`, where it gates every path.
 */
export function checkLegality(memorandum: MemorandumFile, knownDepartments?: ReadonlySet<string>): LegalityProblem[] {
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
      problems.push(unknownDepartment(`${at}.implementingDepartment`, measure.implementingDepartment, knownDepartments, `measure ${measure.code}: `));
    }
    for (const [j, cooperating] of (measure.cooperatingDepartments ?? []).entries()) {
      if (knownDepartments && !knownDepartments.has(cooperating)) {
        problems.push(unknownDepartment(`${at}.cooperatingDepartments[${j}]`, cooperating, knownDepartments, `measure ${measure.code}: `));
      }
    }
    if (measureIndex.get(measure.code) !== i) problems.push({ path: `${at}.code`, message: `measure code ${measure.code} is used twice` });
  });

  if (knownDepartments && !knownDepartments.has(memorandum.list.identifyingDepartment)) {
    problems.push(unknownDepartment('$.list.identifyingDepartment', memorandum.list.identifyingDepartment, knownDepartments));
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
        const suggestion = didYouMean(code, measureIndex.keys());
        problems.push({ path: at, code: 'RULES.UNKNOWN_MEASURE', value: code, suggestion, message: `rule ${rule.name} references unknown measure "${code}"${meant(suggestion)}` });
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

function unknownDepartment(path: string, code: string, knownDepartments: ReadonlySet<string>, prefix = ''): LegalityProblem {
  const suggestion = didYouMean(code, knownDepartments);
  return { path, code: 'RULES.UNKNOWN_DEPARTMENT', value: code, suggestion, message: `${prefix}unknown department "${code}"${meant(suggestion)}` };
}

/**
 * What a citation of an instrument already repealed does to a rule set: `rules:check` refuses it,
 * so nothing new is written on it; a running or restarting engine only warns, because refusing
 * the whole set on the repeal day would stop every memorandum (the planner and the scheduler
 * already stop the measures that have no basis left).
 */
export type RepealedCitations = 'refuse' | 'tolerate';

/** Days ahead a coming repeal is announced, so policy staff can re-cite before the measures stop. */
export const REPEAL_WARNING_DAYS = 90;

/**
 * DOMAIN §8: only instruments of the published catalogue are a basis (利州方案 三(一)), a
 * repealed one is none, and a sanction needs more than local normative documents. Refuses
 * those; warns of a repeal within REPEAL_WARNING_DAYS of `today` and of an instrument not yet
 * in force (its measures will not fire before it is).
 */
export function checkCitations(
  memorandum: MemorandumFile,
  catalogue: InstrumentCatalogue,
  today: string,
  repealed: RepealedCitations = 'refuse',
): { problems: LegalityProblem[]; warnings: LegalityProblem[] } {
  const problems: LegalityProblem[] = [];
  const warnings: LegalityProblem[] = [];
  const warnUntil = addDays(today, REPEAL_WARNING_DAYS);

  memorandum.measures.forEach((measure, i) => {
    const cited: Instrument[] = [];
    measure.legalBasis.forEach((citation, j) => {
      const at = `$.measures[${i}].legalBasis[${j}].instrument`;
      const instrument = catalogue.get(citation.instrument);
      if (!instrument) {
        const suggestion = didYouMean(citation.instrument, catalogue.instruments.map((known) => known.id));
        problems.push({
          path: at,
          code: 'RULES.UNKNOWN_INSTRUMENT',
          value: citation.instrument,
          suggestion,
          message: `measure ${measure.code} cites "${citation.instrument}", which is not in the published catalogue (instruments.json); an instrument not in it may not be a basis of administrative action${meant(suggestion)}`,
        });
        return;
      }
      cited.push(instrument);
      const successor = instrument.supersededBy ? `; cite its successor "${instrument.supersededBy}"` : '';
      if (instrument.repealedOn !== undefined && instrument.repealedOn <= today) {
        const message = `measure ${measure.code} cites "${instrument.id}" (${instrument.title.zh}), repealed on ${instrument.repealedOn}: a repealed instrument is no basis${successor}`;
        if (repealed === 'refuse') problems.push({ path: at, message });
        else {
          const others = measure.legalBasis.some((other) => other !== citation && survives(catalogue.get(other.instrument), memorandum, today));
          warnings.push({ path: at, message: `${message}; ${others ? 'decisions leave it out of their basis' : `measure ${measure.code} no longer fires and its tasks end`}` });
        }
      } else if (instrument.repealedOn !== undefined && instrument.repealedOn <= warnUntil) {
        const others = measure.legalBasis.some((other) => other !== citation && survives(catalogue.get(other.instrument), memorandum, instrument.repealedOn!));
        warnings.push({
          path: at,
          message:
            `measure ${measure.code} cites "${instrument.id}" (${instrument.title.zh}), repealed on ${instrument.repealedOn} (in ${differenceInDays(today, instrument.repealedOn)} days): ` +
            `${others ? 'from that day decisions leave it out of their basis' : `measure ${measure.code} stops firing that day`}${successor}`,
        });
      } else if (instrument.inForceFrom > today) {
        warnings.push({ path: at, message: `measure ${measure.code} cites "${instrument.id}" (${instrument.title.zh}), not in force until ${instrument.inForceFrom}: it is no basis before then` });
      }
    });
    if (memorandum.kind === 'sanction' && cited.length > 0 && cited.length === measure.legalBasis.length && !cited.some((instrument) => levelSuffices('sanction', instrument.level))) {
      problems.push({
        path: `$.measures[${i}].legalBasis`,
        message: `sanction measure ${measure.code} rests only on local normative documents; a sanction needs a law, an administrative regulation or a central policy document`,
      });
    }
  });
  return { problems, warnings };
}

/** Whether a citation still founds the measure on `date` (in force, and of a level that may found it). */
function survives(instrument: Instrument | undefined, memorandum: MemorandumFile, date: string): boolean {
  return instrument !== undefined && isInForceOn(instrument, date) && levelSuffices(memorandum.kind, instrument.level);
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

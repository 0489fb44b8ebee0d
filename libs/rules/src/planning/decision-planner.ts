import { CreditEvent, departmentOf, SubjectRef } from '@app/domain';
import { addDays, minDate } from '../dates/calendar-days';
import { CreditFacts } from '../evaluation/credit-facts';
import { EventPlan, Explanation, PlannedDecision, PlannedListEntry, PlannedMeasureTask, PlannedRefusal, DECISION_SCHEMA_VERSION } from './decision-plan';
import { deterministicUuid } from './deterministic-id';
import { hasBasisInForceOn, recordedBasisOn } from '../loader/instrument-catalogue';
import { isTimeBarred, Limitation, limitationOf } from './limitation';
import { Memorandum, MeasureDefinition } from '../loader/memorandum';
import { RuleMatch } from '../evaluation/rule-match';

/**
 * Turn rule matches into decisions: list entries with their validity, and one measure
 * task per measure and target person. Pure: same event and matches, same plan and ids.
 * A sanction memorandum whose limitation has run out by `today` decides nothing and is
 * returned as a refusal instead.
 */
export function planEvent(event: CreditEvent, facts: CreditFacts, matches: readonly RuleMatch[], context: PlanningContext): EventPlan {
  const decisions: PlannedDecision[] = [];
  const refusals: PlannedRefusal[] = [];
  for (const group of groupByMemorandum(matches)) {
    const memorandum = group[0].memorandum;
    const limitation = limitationOf(memorandum, event) ?? null;
    if (limitation && isTimeBarred(limitation, context.today)) refusals.push(timeBarred(event, memorandum, limitation));
    else {
      const decision = planForMemorandum(event, facts, group, context, limitation);
      // A memorandum whose every matched measure was held back (severity, a repealed basis) decides nothing to announce.
      if (decision.listEntries.length + decision.measureTasks.length > 0) decisions.push(decision);
    }
  }
  return { decisions, refusals };
}

/** What a plan depends on besides the event: the rules' revision and the China date it is decided on. */
export interface PlanningContext {
  ruleSetRevision: string;
  /** The release the rule set is (its version); absent when it came from the rules/ files. */
  ruleSetRelease?: number;
  /** China calendar date (YYYY-MM-DD) the decision is made on: limits and instruments in force are judged on it. */
  today: string;
}

/** The decisions alone (callers that do not report refusals: benchmarks, rule cases). */
export function planDecisions(event: CreditEvent, facts: CreditFacts, matches: readonly RuleMatch[], context: PlanningContext): PlannedDecision[] {
  return planEvent(event, facts, matches, context).decisions;
}

function groupByMemorandum(matches: readonly RuleMatch[]): RuleMatch[][] {
  const byMemorandum = new Map<string, RuleMatch[]>();
  for (const match of matches) {
    const group = byMemorandum.get(match.memorandum.id) ?? [];
    group.push(match);
    byMemorandum.set(match.memorandum.id, group);
  }
  return [...byMemorandum.values()];
}

function timeBarred(event: CreditEvent, memorandum: Memorandum, limitation: Limitation): PlannedRefusal {
  const from = limitation.conductEndStated ? `the conduct ended on ${limitation.conductEndedOn}` : `the conduct's end was not given, so its decision date ${limitation.conductEndedOn} counts`;
  return {
    code: 'EVENT.CONDUCT_PAST_LIMIT',
    memorandumId: memorandum.id,
    departments: [...new Set([memorandum.list.identifyingDepartment, departmentOf(event.source) ?? memorandum.list.identifyingDepartment])].sort(),
    reason:
      `${from}; information older than ${limitation.years} years from the end of the conduct may not be a basis of sanctions ` +
      `(last usable day ${limitation.lastUsableOn}), so memorandum ${memorandum.id} (${memorandum.documentNumber}) imposes nothing`,
    limitation,
  };
}

/**
 * Validity is inclusive: a term of N days from validFrom ends on validFrom + N − 1, and a
 * stated validTo is the last day in force. Nothing outlives the maximum term or the limitation.
 */
function planForMemorandum(event: CreditEvent, facts: CreditFacts, matches: RuleMatch[], context: PlanningContext, limitation: Limitation | null): PlannedDecision {
  const { ruleSetRevision } = context;
  const memorandum = matches[0].memorandum;
  const data = event.data as unknown as { validFrom?: string; validTo?: string; reason?: string };
  const validFrom = data.validFrom ?? event.data.decidedOn;
  const lastDayOf = (termDays: number) => addDays(validFrom, termDays - 1);
  const latest = limitation ? minDate(lastDayOf(memorandum.list.maxTermDays), limitation.lastUsableOn) : lastDayOf(memorandum.list.maxTermDays);
  const entryEnd = minDate(data.validTo ?? lastDayOf(memorandum.list.defaultTermDays), latest);

  let listEntry: PlannedListEntry | undefined;
  const tasks = new Map<string, PlannedMeasureTask>();
  for (const match of matches) {
    const explanation = explain(event, match, ruleSetRevision);
    if (match.rule.createsListEntry !== false && !listEntry) {
      listEntry = {
        id: deterministicUuid('list-entry', event.source, event.id, memorandum.id),
        memorandumId: memorandum.id,
        memorandumVersion: memorandum.version,
        listCode: memorandum.list.code,
        listType: memorandum.list.type,
        subject: subjectOf(event),
        reason: data.reason ?? null,
        documentNumber: event.data.documentNumber,
        identifyingDepartment: memorandum.list.identifyingDepartment,
        validFrom,
        validTo: entryEnd,
        limitation,
        explanation,
      };
    }
    for (const code of match.rule.measures) {
      const measure = memorandum.measures.find((m) => m.code === code)!;
      // Defence in depth behind the legality check: never fire a measure above the conduct's severity.
      if (!severityPermits(measure, facts)) continue;
      if (!hasBasisInForceOn(measure, memorandum.kind, context.today)) continue;
      const end = match.rule.createsListEntry === false ? lastDayOf(measure.durationDays ?? memorandum.list.defaultTermDays) : entryEnd;
      const taskEnd = minDate(measure.durationDays ? lastDayOf(measure.durationDays) : end, latest);
      for (const { role, person } of targetsOf(measure, event)) {
        const id = deterministicUuid('measure-task', event.source, event.id, memorandum.id, measure.code, person.idType, person.id);
        if (tasks.has(id)) continue;
        tasks.set(id, {
          id,
          listEntryId: match.rule.createsListEntry === false ? null : deterministicUuid('list-entry', event.source, event.id, memorandum.id),
          memorandumId: memorandum.id,
          measureCode: measure.code,
          category: measure.category,
          text: measure.text,
          implementingDepartment: measure.implementingDepartment,
          cooperatingDepartments: measure.cooperatingDepartments ?? [],
          legalBasis: recordedBasisOn(measure, memorandum.kind, context.today),
          targetRole: role,
          target: person,
          documentNumber: event.data.documentNumber,
          validFrom,
          validTo: taskEnd,
          limitation,
          feedbackDueWorkingDays: measure.feedbackDueWorkingDays ?? null,
          explanation,
        });
      }
    }
  }
  return {
    id: deterministicUuid('decision', event.source, event.id, memorandum.id),
    causeEventId: event.id,
    causeEventSource: event.source,
    memorandumId: memorandum.id,
    memorandumVersion: memorandum.version,
    ruleSetRevision,
    ruleSetRelease: context.ruleSetRelease ?? null,
    listEntries: listEntry ? [listEntry] : [],
    measureTasks: [...tasks.values()],
    addressees: addresseesOf(event, listEntry, [...tasks.values()]),
  };
}

function subjectOf(event: CreditEvent): SubjectRef {
  const { kind, idType, id, name } = event.data.subject;
  return { kind, idType, id, name };
}

function targetsOf(measure: MeasureDefinition, event: CreditEvent): { role: MeasureDefinition['targets'][number]; person: SubjectRef }[] {
  const targets: { role: MeasureDefinition['targets'][number]; person: SubjectRef }[] = [];
  for (const role of measure.targets) {
    if (role === 'subject') {
      targets.push({ role, person: subjectOf(event) });
      continue;
    }
    for (const person of event.data.relatedPersons ?? []) {
      if (person.role === role) targets.push({ role, person: { kind: 'individual', idType: person.idType, id: person.id, name: person.name } });
    }
  }
  return targets;
}

function severityPermits(measure: MeasureDefinition, facts: CreditFacts): boolean {
  if (measure.severityRequired === 'serious') return facts.severity === 'serious';
  if (measure.severityRequired === 'general') return facts.severity === 'general' || facts.severity === 'serious';
  return true;
}

/**
 * Who receives a decision (PIPL 最小必要): the department that published its event and the list's
 * identifying department, and every department that implements or cooperates in one of the
 * measures actually decided — not every signatory of the memorandum.
 */
export function addresseesOf(event: CreditEvent, listEntry: PlannedListEntry | undefined, tasks: readonly PlannedMeasureTask[]): string[] {
  const departments = new Set<string>();
  const publisher = departmentOf(event.source);
  if (publisher) departments.add(publisher);
  if (listEntry) departments.add(listEntry.identifyingDepartment);
  for (const task of tasks) {
    departments.add(task.implementingDepartment);
    for (const cooperating of task.cooperatingDepartments) departments.add(cooperating);
  }
  return [...departments].sort();
}

function explain(event: CreditEvent, match: RuleMatch, ruleSetRevision: string): Explanation {
  const { memorandum, rule } = match;
  return {
    schemaVersion: DECISION_SCHEMA_VERSION,
    memorandum: { id: memorandum.id, version: memorandum.version, documentNumber: memorandum.documentNumber, title: memorandum.title },
    rule: { name: rule.name, description: rule.description },
    ruleSetRevision,
    causeEvent: { id: event.id, source: event.source, type: event.type, time: event.time },
    facts: match.matchedFacts,
    conditions: match.conditionTrace,
  };
}

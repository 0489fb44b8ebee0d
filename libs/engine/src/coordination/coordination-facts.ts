import type { CreditEvent } from '@app/domain';
import { findingDepartmentOf } from '@app/domain';
import type { PlannedDecision } from '@app/rules';

/**
 * What the criteria of a major dishonesty event read (重大失信事件), for one decided event: the
 * event's own facts, what its decisions created, and the subject's record of the last 12 months.
 */
export interface CoordinationFacts {
  eventType: string;
  /** The department that found the conduct (the original one for a relayed event). */
  sourceDepartment: string;
  subjectKind: string;
  /** minor, general or serious; null for an event without a severity. */
  severity: string | null;
  /** A fine's amount in yuan; 0 without one. */
  fineAmountYuan: number;
  /** The event's reason code (e.g. food-safety); null without one. */
  reason: string | null;
  /** Persons named with the subject (legal representative, responsible persons). */
  relatedSubjects: number;
  /** List types the event's decisions added (black, key-attention, red). */
  listTypes: string[];
  /** Memoranda that decided the event. */
  memoranda: string[];
  /** The subject's blacklistings decided in the last 12 months, this one included. */
  blacklistingsIn12Months: number;
}

export const COORDINATION_FACT_NAMES: readonly (keyof CoordinationFacts)[] = ['eventType', 'sourceDepartment', 'subjectKind', 'severity', 'fineAmountYuan', 'reason', 'relatedSubjects', 'listTypes', 'memoranda', 'blacklistingsIn12Months'];

/** The facts of one event and its stored decisions; `blacklistings` is read from the store after they were written. */
export function coordinationFacts(event: CreditEvent, decisions: readonly PlannedDecision[], blacklistings: number): CoordinationFacts {
  const data = event.data as unknown as Record<string, unknown>;
  const related = data.relatedPersons;
  return {
    eventType: event.type,
    sourceDepartment: findingDepartmentOf(event) ?? '',
    subjectKind: event.data.subject.kind,
    severity: typeof data.severity === 'string' ? data.severity : null,
    fineAmountYuan: typeof data.fineAmountYuan === 'number' ? data.fineAmountYuan : 0,
    reason: typeof data.reason === 'string' ? data.reason : null,
    relatedSubjects: Array.isArray(related) ? related.length : 0,
    listTypes: [...new Set(decisions.flatMap((d) => d.listEntries.map((e) => e.listType)))],
    memoranda: [...new Set(decisions.map((d) => d.memorandumId))],
    blacklistingsIn12Months: blacklistings,
  };
}

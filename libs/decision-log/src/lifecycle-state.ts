import type { IdentifierType, SubjectKind } from '@app/domain';
import type { ListType, MeasureCategory, MeasureTarget } from '@app/rules';

/**
 * limitation-reached: the conduct reached its five-year (or shorter) limit (DOMAIN §4);
 * basis-repealed: every instrument a measure rested on was repealed, so it may no longer be applied.
 */
export const END_REASONS = ['expired', 'limitation-reached', 'basis-repealed', 'removed', 'repaired', 'objection-revoked', 'escalated', 'superseded'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** The states of list entries and measure tasks: active, or how they ended (see recordStateFor). */
export const RECORD_STATES = ['active', 'expired', 'removed', 'repaired', 'revoked'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

/** The state a list entry takes when it ends for a reason (a task takes `expired` or `revoked`). */
export function recordStateFor(reason: EndReason): RecordState {
  switch (reason) {
    case 'expired':
    case 'limitation-reached':
      return 'expired';
    case 'removed':
      return 'removed';
    case 'repaired':
      return 'repaired';
    default:
      return 'revoked';
  }
}

/** A list entry as the lifecycle sees it, with the decision it came from and that decision's addressees. */
export interface EntryState {
  id: string;
  decisionId: string;
  memorandumId: string;
  listCode: string;
  listType: ListType;
  subjectKind: SubjectKind;
  subjectIdType: IdentifierType;
  subjectId: string;
  subjectName: string;
  identifyingDepartment: string;
  validFrom: string;
  validTo: string;
  state: RecordState;
  disputed: boolean;
  /** The objection that disputes the entry, while it is disputed. */
  objectionId: string | null;
  endReason: EndReason | null;
  causeEventId: string;
  causeEventSource: string;
  addressees: string[];
}

/** A measure task as the lifecycle sees it. */
export interface TaskState {
  id: string;
  decisionId: string;
  listEntryId: string | null;
  measureCode: string;
  category: MeasureCategory;
  implementingDepartment: string;
  cooperatingDepartments: string[];
  targetRole: MeasureTarget;
  targetIdType: IdentifierType;
  targetId: string;
  targetName: string;
  state: RecordState;
  disputed: boolean;
  endReason: EndReason | null;
  validTo: string;
}

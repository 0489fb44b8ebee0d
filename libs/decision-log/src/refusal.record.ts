import { deterministicUuid } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { REFUSAL_RECORD_SCHEMA_VERSION, RefusalKind } from './record-kinds';

/** Stable codes of refusals and no-effect outcomes, the same on the feed, the topic and GET /v1/events/{source}/{id}. */
export const OUTCOME_CODES = {
  conductPastLimit: 'EVENT.CONDUCT_PAST_LIMIT',
  repairNotAllowed: 'REPAIR.NOT_ALLOWED',
  repairTooEarly: 'REPAIR.TOO_EARLY',
  notIdentifyingDepartment: 'LIFECYCLE.NOT_IDENTIFYING_DEPARTMENT',
  nothingActive: 'LIFECYCLE.NOTHING_ACTIVE',
  notDisputed: 'LIFECYCLE.NOT_DISPUTED',
  alreadyDisputed: 'LIFECYCLE.ALREADY_DISPUTED',
  blacklisted: 'GRANT.WHILE_BLACKLISTED',
  conductAlreadyDecided: 'EVENT.CONDUCT_ALREADY_DECIDED',
} as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[keyof typeof OUTCOME_CODES];

/** Everything a refusal record says besides its addressing. */
export interface Refusal {
  kind: RefusalKind;
  code: OutcomeCode;
  reason: string;
  detail?: RefusalDetail;
}

export interface RefusalDetail {
  list?: string;
  memorandum?: string;
  entries?: string[];
  tasks?: string[];
  /** repair.refused (REPAIR.TOO_EARLY): the first day a repair will be accepted. */
  earliestRepairOn?: string;
  /** sanction.refused: the last day the conduct's information could be used. */
  lastUsableOn?: string;
}

/** Told only to the department that asked (and, for sanction.refused, the identifying department): both identify the subject themselves. */
export interface RefusalRecord extends RefusalDetail {
  schemaVersion: typeof REFUSAL_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: RefusalKind;
  department: string;
  subjectId: string;
  code: OutcomeCode;
  reason: string;
  occurredAt: string;
  causeKey: string;
}

export type RefusalRecordInput = FeedRecordEnvelope<RefusalRecord>;

/** The record telling one department what was refused or changed nothing, and why. */
export function refusalRecord(refusal: Refusal, department: string, subjectId: string, causeKey: string, at: Date): RefusalRecordInput {
  const recordId = deterministicUuid('refusal', refusal.kind, causeKey, department, refusal.detail?.memorandum ?? '');
  return {
    recordId,
    department,
    kind: refusal.kind,
    decisionId: deterministicUuid('refusal-decision', causeKey),
    subjectId,
    causeKey,
    payload: {
      schemaVersion: REFUSAL_RECORD_SCHEMA_VERSION,
      recordId,
      kind: refusal.kind,
      department,
      subjectId,
      code: refusal.code,
      reason: refusal.reason,
      occurredAt: at.toISOString(),
      causeKey,
      ...refusal.detail,
    },
  };
}

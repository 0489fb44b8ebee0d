import type { BilingualText } from '@app/domain';
import { deterministicUuid } from '@app/rules';
import type { FeedRecordEnvelope } from './feed-record-envelope';
import { COORDINATION_CLOSED_KIND, COORDINATION_OPENED_KIND, COORDINATION_RECORD_SCHEMA_VERSION, CoordinationClosedKind, CoordinationOpenedKind } from './record-kinds';

/**
 * A major dishonesty event opened a coordination case (召开工作协调会): the criterion it met and the
 * facts that met it, the decisions behind it, the departments concerned, the agenda, the meeting
 * and the due date. The subject is named when it is an organisation; a natural person is known to
 * the departments by the decisions they were sent.
 */
export interface CoordinationOpenedRecord {
  schemaVersion: typeof COORDINATION_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: CoordinationOpenedKind;
  department: string;
  caseId: string;
  criterion: { id: string; description: BilingualText };
  facts: Record<string, unknown>;
  cause: string;
  decisionIds: string[];
  /** The organisation's code; null for a natural person. */
  subjectId: string | null;
  subjectKind: string;
  departments: string[];
  agenda: string[];
  meetingOn: string;
  dueOn: string;
  /** Where the department acknowledges it (POST) and reads it (GET) on the query API. */
  links: { case: string; acknowledgement: string };
  openedAt: string;
  causeKey: string;
}

export type CoordinationOpenedInput = FeedRecordEnvelope<CoordinationOpenedRecord>;

export interface OpenedCase {
  id: string;
  criterion: { id: string; description: BilingualText };
  facts: Record<string, unknown>;
  causeKey: string;
  decisionIds: string[];
  subject: { kind: string; id: string };
  departments: string[];
  agenda: string[];
  meetingOn: string;
  dueOn: string;
}

/** One record per department concerned, with an id fixed by the case and the department. */
export function coordinationOpenedRecords(opened: OpenedCase, at: Date): CoordinationOpenedInput[] {
  const organisation = opened.subject.kind !== 'individual';
  const base = `/v1/coordination/cases/${opened.id}`;
  return opened.departments.map((department) => {
    const recordId = deterministicUuid('coordination-opened', opened.id, department);
    return {
      recordId,
      department,
      kind: COORDINATION_OPENED_KIND,
      decisionId: opened.id,
      // The Kafka key: the organisation, or the case for a natural person (whose identifier the record leaves out).
      subjectId: organisation ? opened.subject.id : opened.id,
      causeKey: opened.causeKey,
      payload: {
        schemaVersion: COORDINATION_RECORD_SCHEMA_VERSION,
        recordId,
        kind: COORDINATION_OPENED_KIND,
        department,
        caseId: opened.id,
        criterion: opened.criterion,
        facts: opened.facts,
        cause: opened.causeKey,
        decisionIds: opened.decisionIds,
        subjectId: organisation ? opened.subject.id : null,
        subjectKind: opened.subject.kind,
        departments: opened.departments,
        agenda: opened.agenda,
        meetingOn: opened.meetingOn,
        dueOn: opened.dueOn,
        links: { case: base, acknowledgement: `${base}/acknowledgement` },
        openedAt: at.toISOString(),
        causeKey: opened.causeKey,
      },
    };
  });
}

/** The minutes of a case's meeting (会议纪要) and the joint documents (联合发文) issued for it. */
export interface CoordinationMinutesRecord {
  heldOn: string;
  attendees: string[];
  summary: string;
  jointDocuments: { documentNumber: string; title: string; issuedBy: string[] }[];
}

/** Its meeting's minutes closed a coordination case: what was agreed and the joint documents issued. */
export interface CoordinationClosedRecord {
  schemaVersion: typeof COORDINATION_RECORD_SCHEMA_VERSION;
  recordId: string;
  kind: CoordinationClosedKind;
  department: string;
  caseId: string;
  criterion: string;
  minutes: CoordinationMinutesRecord;
  closedBy: string;
  closedAt: string;
  links: { case: string };
  causeKey: string;
}

export type CoordinationClosedInput = FeedRecordEnvelope<CoordinationClosedRecord>;

/** One record per department the case concerns, keyed like the case's opening. */
export function coordinationClosedRecords(closed: { id: string; criterion: string; causeKey: string; subjectKind: string; subjectId: string; departments: readonly string[]; minutes: CoordinationMinutesRecord; closedBy: string }, at: Date): CoordinationClosedInput[] {
  const organisation = closed.subjectKind !== 'individual';
  return closed.departments.map((department) => {
    const recordId = deterministicUuid('coordination-closed', closed.id, department);
    return {
      recordId,
      department,
      kind: COORDINATION_CLOSED_KIND,
      decisionId: closed.id,
      subjectId: organisation ? closed.subjectId : closed.id,
      causeKey: closed.causeKey,
      payload: {
        schemaVersion: COORDINATION_RECORD_SCHEMA_VERSION,
        recordId,
        kind: COORDINATION_CLOSED_KIND,
        department,
        caseId: closed.id,
        criterion: closed.criterion,
        minutes: closed.minutes,
        closedBy: closed.closedBy,
        closedAt: at.toISOString(),
        links: { case: `/v1/coordination/cases/${closed.id}` },
        causeKey: closed.causeKey,
      },
    };
  });
}

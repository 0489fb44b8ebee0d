import type { ListEntryState } from '../entities/list-entry.entity';

/**
 * A list_entry row as every repository reads it. Each column comes in its JSON form (dates
 * and instants as text), so a row reads the same whether selected or gathered by json_agg.
 */
export interface ListEntryRow {
  id: string;
  decisionId: string;
  memorandumId: string;
  memorandumVersion: string;
  listCode: string;
  listType: string;
  subjectKind: string;
  subjectIdType: string;
  subjectId: string;
  subjectName: string;
  reason: string | null;
  documentNumber: string;
  identifyingDepartment: string;
  /** China dates, YYYY-MM-DD; validTo is the last day in force. */
  validFrom: string;
  validTo: string;
  state: ListEntryState;
  disputed: boolean;
  /** The objection that disputes the entry, while it is disputed. */
  objectionId: string | null;
  endReason: string | null;
  /** PostgreSQL's text of created_at, to the microsecond: the public list pages by (createdAt, id) and must not skip a row. */
  createdAt: string;
}

/** The SELECT list of ListEntryRow; the query names list_entry `le`. */
export const LIST_ENTRY_COLUMNS = `le.id, le.decision_id AS "decisionId", le.memorandum_id AS "memorandumId", le.memorandum_version AS "memorandumVersion",
  le.list_code AS "listCode", le.list_type AS "listType", le.subject_kind AS "subjectKind", le.subject_id_type AS "subjectIdType",
  le.subject_id AS "subjectId", le.subject_name AS "subjectName", le.reason, le.document_number AS "documentNumber",
  le.identifying_department AS "identifyingDepartment", le.valid_from::text AS "validFrom", le.valid_to::text AS "validTo",
  le.state, le.disputed, le.objection_id AS "objectionId", le.end_reason AS "endReason", le.created_at::text AS "createdAt"`;

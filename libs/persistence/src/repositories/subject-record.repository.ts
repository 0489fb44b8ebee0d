import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MeasureTaskEntity } from '../entities/measure-task.entity';

export interface SubjectKey {
  idType: string;
  id: string;
}

export interface CurrentListEntryRow {
  id: string;
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
  validFrom: string;
  validTo: string;
  disputed: boolean;
}

export type CurrentMeasureRow = Pick<
  MeasureTaskEntity,
  | 'id'
  | 'decisionId'
  | 'memorandumId'
  | 'measureCode'
  | 'category'
  | 'text'
  | 'implementingDepartment'
  | 'cooperatingDepartments'
  | 'legalBasis'
  | 'targetRole'
  | 'targetIdType'
  | 'targetId'
  | 'targetName'
  | 'validFrom'
  | 'validTo'
  | 'explanation'
> & {
  /** The task's own flag, or its list entry's: either way the subject objects to it. */
  disputed: boolean;
  /** The listed subject the measure stems from (for a related person, the organisation). */
  listEntry: { id: string; listCode: string; subjectKind: string; subjectId: string; subjectName: string } | null;
};

export interface PublicListFilter {
  listTypes: string[];
  listCode?: string;
  hideNaturalPersons: boolean;
  /** China calendar date, YYYY-MM-DD. */
  today: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

export interface PublicListRow {
  id: string;
  createdAt: string;
  listCode: string;
  listType: string;
  subjectKind: string;
  subjectIdType: string;
  subjectId: string;
  subjectName: string;
  documentNumber: string;
  identifyingDepartment: string;
  validFrom: string;
  validTo: string;
  disputed: boolean;
}

// A record is in force on `today` when active and valid_from ≤ today < valid_to (valid_to is exclusive).
const IN_FORCE = (alias: string, today: string) => `${alias}.state = 'active' AND ${alias}.valid_from <= ${today}::date AND ${today}::date < ${alias}.valid_to`;

/** What applies to a subject now: reads for credit checks and for public disclosure. */
@Injectable()
export class SubjectRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  async currentListEntries(subject: SubjectKey, today: string): Promise<CurrentListEntryRow[]> {
    return this.dataSource.query(
      `SELECT le.id, le.memorandum_id AS "memorandumId", le.memorandum_version AS "memorandumVersion", le.list_code AS "listCode",
              le.list_type AS "listType", le.subject_kind AS "subjectKind", le.subject_id_type AS "subjectIdType", le.subject_id AS "subjectId",
              le.subject_name AS "subjectName", le.reason, le.document_number AS "documentNumber", le.identifying_department AS "identifyingDepartment",
              le.valid_from::text AS "validFrom", le.valid_to::text AS "validTo", le.disputed
       FROM list_entry le
       WHERE le.subject_id = $1 AND le.subject_id_type = $2 AND ${IN_FORCE('le', '$3')}
       ORDER BY le.valid_from, le.list_code, le.id`,
      [subject.id, subject.idType, today],
    );
  }

  /**
   * Measure tasks in force that target the subject (in any role) and that `department`
   * implements or cooperates on, limited to `measureCodes`. A task whose list entry has
   * ended is not in force even if its own end has not been recorded yet.
   */
  async currentMeasures(target: SubjectKey, department: string, measureCodes: readonly string[], today: string): Promise<CurrentMeasureRow[]> {
    if (measureCodes.length === 0) return [];
    return this.dataSource.query(
      `SELECT mt.id, mt.decision_id AS "decisionId", mt.memorandum_id AS "memorandumId", mt.measure_code AS "measureCode", mt.category, mt.text,
              mt.implementing_department AS "implementingDepartment", mt.cooperating_departments AS "cooperatingDepartments",
              mt.legal_basis AS "legalBasis", mt.target_role AS "targetRole", mt.target_id_type AS "targetIdType", mt.target_id AS "targetId",
              mt.target_name AS "targetName", mt.valid_from::text AS "validFrom", mt.valid_to::text AS "validTo",
              (mt.disputed OR coalesce(le.disputed, false)) AS disputed, mt.explanation,
              CASE WHEN le.id IS NULL THEN NULL ELSE jsonb_build_object('id', le.id, 'listCode', le.list_code, 'subjectKind', le.subject_kind,
                   'subjectId', le.subject_id, 'subjectName', le.subject_name) END AS "listEntry"
       FROM measure_task mt
       LEFT JOIN list_entry le ON le.id = mt.list_entry_id
       WHERE mt.target_id = $1 AND mt.target_id_type = $2
         AND (mt.implementing_department = $3 OR mt.cooperating_departments @> jsonb_build_array($3::text))
         AND mt.measure_code = ANY($4::text[])
         AND ${IN_FORCE('mt', '$5')}
         AND (mt.list_entry_id IS NULL OR le.state = 'active')
       ORDER BY mt.measure_code, mt.valid_from, mt.id`,
      [target.id, target.idType, department, measureCodes, today],
    );
  }

  /** Whether anything is in force about the subject now, for any department: false means 无记录 (no record). */
  async hasCurrentRecord(subject: SubjectKey, today: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM list_entry le WHERE le.subject_id = $1 AND le.subject_id_type = $2 AND ${IN_FORCE('le', '$3')})
           OR EXISTS (SELECT 1 FROM measure_task mt WHERE mt.target_id = $1 AND mt.target_id_type = $2 AND ${IN_FORCE('mt', '$3')}) AS found`,
      [subject.id, subject.idType, today],
    );
    return row.found === true;
  }

  /** Entries in force on the given lists, in a stable order (created_at, id) for keyset paging. */
  async publicListEntries(filter: PublicListFilter): Promise<PublicListRow[]> {
    return this.dataSource.query(
      `SELECT le.id, le.created_at::text AS "createdAt", le.list_code AS "listCode", le.list_type AS "listType", le.subject_kind AS "subjectKind",
              le.subject_id_type AS "subjectIdType", le.subject_id AS "subjectId", le.subject_name AS "subjectName",
              le.document_number AS "documentNumber", le.identifying_department AS "identifyingDepartment",
              le.valid_from::text AS "validFrom", le.valid_to::text AS "validTo", le.disputed
       FROM list_entry le
       WHERE le.list_type = ANY($1::text[])
         AND ($2::text IS NULL OR le.list_code = $2::text)
         AND (NOT $3::boolean OR le.subject_id_type <> 'RESIDENT_ID')
         AND ${IN_FORCE('le', '$4')}
         AND ($5::timestamptz IS NULL OR (le.created_at, le.id) > ($5::timestamptz, $6::uuid))
       ORDER BY le.created_at, le.id
       LIMIT $7`,
      [filter.listTypes, filter.listCode ?? null, filter.hideNaturalPersons, filter.today, filter.after?.createdAt ?? null, filter.after?.id ?? null, filter.limit],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '../returning-rows';

/** A coordination case (工作协调会) as stored. */
export interface CoordinationCaseRow {
  id: string;
  criterion: string;
  causeKey: string;
  subjectKind: string;
  subjectId: string;
  decisionIds: string[];
  departments: string[];
  agenda: string[];
  facts: Record<string, unknown>;
  meetingOn: string;
  dueOn: string;
  status: 'open' | 'closed';
  openedAt: Date;
  minutes: CoordinationMinutes | null;
  closedAt: Date | null;
  closedBy: string | null;
}

/** The meeting's minutes (会议纪要) and the joint documents (联合发文) issued for the case. */
export interface CoordinationMinutes {
  heldOn: string;
  attendees: string[];
  summary: string;
  jointDocuments: { documentNumber: string; title: string; issuedBy: string[] }[];
}

export interface CoordinationAcknowledgement {
  department: string;
  acknowledgedAt: Date;
}

const COLUMNS = `c.id::text AS id, c.criterion, c.cause_key AS "causeKey", c.subject_kind AS "subjectKind", c.subject_id AS "subjectId", c.decision_ids::text[] AS "decisionIds",
  c.departments, c.agenda, c.facts, c.meeting_on::text AS "meetingOn", c.due_on::text AS "dueOn", c.status, c.opened_at AS "openedAt", c.minutes, c.closed_at AS "closedAt", c.closed_by AS "closedBy"`;

@Injectable()
export class CoordinationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Each subject's blacklistings decided in the 365 days up to `now` (those this transaction stored included), in one statement. */
  async blacklistingsWithinYear(manager: EntityManager, subjectIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (subjectIds.length === 0) return new Map();
    const rows: { subjectId: string; n: number }[] = await manager.query(
      `SELECT subject_id AS "subjectId", count(DISTINCT decision_id)::int AS n FROM list_entry
       WHERE subject_id = ANY($1::text[]) AND list_type = 'black' AND created_at > $2::timestamptz - interval '365 days' GROUP BY 1`,
      [[...new Set(subjectIds)], now],
    );
    return new Map(rows.map((r) => [r.subjectId, r.n]));
  }

  /** Opens the cases; those whose criterion and cause are open already are left as they are. Returns the ones opened. */
  async open(manager: EntityManager, cases: readonly Omit<CoordinationCaseRow, 'status' | 'openedAt' | 'minutes' | 'closedAt' | 'closedBy'>[], at: Date): Promise<string[]> {
    if (cases.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO coordination_case (id, criterion, cause_key, subject_kind, subject_id, decision_ids, departments, agenda, facts, meeting_on, due_on, opened_at)
       SELECT x.id, x.criterion, x.cause_key, x.subject_kind, x.subject_id, x.decision_ids, x.departments, x.agenda, x.facts, x.meeting_on, x.due_on, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, criterion text, cause_key text, subject_kind text, subject_id text, decision_ids uuid[], departments text[], agenda jsonb, facts jsonb, meeting_on date, due_on date)
       ON CONFLICT (criterion, cause_key) DO NOTHING RETURNING id::text`,
      [
        JSON.stringify(
          cases.map((c) => ({
            id: c.id, criterion: c.criterion, cause_key: c.causeKey, subject_kind: c.subjectKind, subject_id: c.subjectId, decision_ids: c.decisionIds,
            departments: c.departments, agenda: c.agenda, facts: c.facts, meeting_on: c.meetingOn, due_on: c.dueOn,
          })),
        ),
        at,
      ],
    );
    return rows.map((r) => r.id);
  }

  /** The cases that concern a department (every case for the credit office), latest first. */
  async concerning(department: string | undefined, limit: number): Promise<CoordinationCaseRow[]> {
    return department === undefined
      ? this.dataSource.query(`SELECT ${COLUMNS} FROM coordination_case c ORDER BY c.opened_at DESC, c.id LIMIT $1`, [limit])
      : this.dataSource.query(`SELECT ${COLUMNS} FROM coordination_case c WHERE c.departments @> ARRAY[$1]::text[] ORDER BY c.opened_at DESC, c.id LIMIT $2`, [department, limit]);
  }

  async byId(id: string): Promise<CoordinationCaseRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM coordination_case c WHERE c.id = $1::uuid`, [id]);
    return row;
  }

  async acknowledgements(caseId: string): Promise<CoordinationAcknowledgement[]> {
    return this.dataSource.query(`SELECT department, acknowledged_at AS "acknowledgedAt" FROM coordination_acknowledgement WHERE case_id = $1::uuid ORDER BY acknowledged_at, department`, [caseId]);
  }

  /** Records a department's acknowledgement; the first one stands (false when it was there already). */
  async acknowledge(caseId: string, department: string, at: Date): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO coordination_acknowledgement (case_id, department, acknowledged_at) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING RETURNING department`,
      [caseId, department, at],
    );
    return rows.length === 1;
  }

  /** Closes an open case with its minutes; false when it was closed already (the first minutes stand). */
  async close(manager: EntityManager, caseId: string, minutes: CoordinationMinutes, by: string, at: Date): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE coordination_case SET status = 'closed', minutes = $2, closed_by = $3, closed_at = $4 WHERE id = $1::uuid AND status = 'open' RETURNING id`,
      [caseId, JSON.stringify(minutes), by, at],
    );
    return returningRows(rows).length === 1;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EndReason, EntryState, recordStateFor, StoredDecisionParties, TaskState } from '@app/decision-log';
import { associationSanctionsSql } from '../columns/association-sanction.columns';
import { LIST_ENTRY_COLUMNS } from '../columns/list-entry.columns';
import { MEASURE_TASK_COLUMNS, MeasureTaskRow } from '../columns/measure-task.columns';
import { LEGAL_LIMITATION_YEARS } from '@app/rules';
import { EVENT_TYPES } from '@app/domain';
import { returningRows } from '../returning-rows';

/** A task with no list entry (from a penalty), with what repair and removal of it need to know. */
export interface StandaloneTaskState extends TaskState, Pick<MeasureTaskRow, 'memorandumId' | 'validFrom'> {
  /** China date the engine stored (and so published) the task. */
  publishedOn: string;
  /** Severity of the conduct the rule matched (a penalty's: minor, general, serious). */
  severity: string | null;
  causeEventSource: string;
}

/** Which penalty-based tasks a removal or repair names, for the subject it is about: one decision, or a penalty decision's document number. */
export type StandaloneTaskTarget = ({ decisionId: string } | { documentNumber: string }) & { subjectId: string };

/** The entry's row and, from its decision (`d`), the cause and the addressees. */
const ENTRY_COLUMNS = `${LIST_ENTRY_COLUMNS}, d.cause_event_id AS "causeEventId", d.cause_event_source AS "causeEventSource",
  ARRAY(SELECT jsonb_array_elements_text(d.record->'addressees')) AS addressees`;

/**
 * State transitions of list entries and measure tasks. Every transition is a single
 * conditional UPDATE (`WHERE state = 'active'`), so a transition happens once however often
 * it is attempted: a restarted scheduler or a redelivered event cannot fire it twice.
 */

/** A decided objection (异议) or repair (信用修复) about a subject, as its event carried it and its outcome recorded. */
/** The records a credit report shows, by what an objection or a repair names them. */
export interface ShownRecords {
  listCodes: readonly string[];
  penaltyDocumentNumbers: readonly string[];
  decisionIds: readonly string[];
}

export interface ObjectionOrRepairRow {
  type: typeof EVENT_TYPES.objectionFiled | typeof EVENT_TYPES.objectionResolved | typeof EVENT_TYPES.repairApproved;
  source: string;
  eventId: string;
  /** The event's own fields (not its subject or related persons). */
  data: {
    documentNumber: string;
    decidedOn: string;
    listCode: string | null;
    penaltyDocumentNumber: string | null;
    decisionId: string | null;
    objectionId: string | null;
    reason: string | null;
    outcome: 'confirmed' | 'revoked' | null;
  };
  /** What the lifecycle did with it (applied, refused, no-effect); null before the outcome was recorded. */
  outcome: { status: string; code: string | null; reason: string | null } | null;
}

@Injectable()
export class LifecycleRepository {
  async activeEntries(manager: EntityManager, subjectIds: readonly string[], filter: { listCode?: string; listType?: string } = {}): Promise<EntryState[]> {
    if (subjectIds.length === 0) return [];
    return manager.query(
      `SELECT ${ENTRY_COLUMNS} FROM list_entry le JOIN decision d ON d.id = le.decision_id
       WHERE le.state = 'active' AND le.subject_id = ANY($1) AND ($2::text IS NULL OR le.list_code = $2) AND ($3::text IS NULL OR le.list_type = $3)
       ORDER BY le.created_at, le.id FOR UPDATE OF le`,
      [subjectIds, filter.listCode ?? null, filter.listType ?? null],
    );
  }

  /** End active entries and all their active tasks; returns what actually changed. */
  async endEntries(manager: EntityManager, entryIds: readonly string[], reason: EndReason, at: Date): Promise<{ entries: EntryState[]; tasks: TaskState[] }> {
    if (entryIds.length === 0) return { entries: [], tasks: [] };
    const ended = returningRows<{ id: string }>(
      await manager.query(`UPDATE list_entry SET state = $2, end_reason = $3, ended_at = $4 WHERE id = ANY($1) AND state = 'active' RETURNING id`, [entryIds, recordStateFor(reason), reason, at]),
    );
    const ids = ended.map((e) => e.id);
    if (ids.length === 0) return { entries: [], tasks: [] };
    const tasks = await this.endTasks(manager, `list_entry_id = ANY($1)`, [ids], reason, at);
    return { entries: await this.entriesById(manager, ids), tasks };
  }

  /** Flag (or clear) the dispute on active entries and their active tasks. */
  async setDisputed(manager: EntityManager, entryIds: readonly string[], disputed: boolean, objectionId: string | null): Promise<{ entries: EntryState[]; tasks: TaskState[] }> {
    if (entryIds.length === 0) return { entries: [], tasks: [] };
    const changed = returningRows<{ id: string }>(
      await manager.query(`UPDATE list_entry SET disputed = $2, objection_id = $3 WHERE id = ANY($1) AND state = 'active' AND disputed <> $2 RETURNING id`, [entryIds, disputed, objectionId]),
    );
    const ids = changed.map((e) => e.id);
    if (ids.length === 0) return { entries: [], tasks: [] };
    const tasks = returningRows<TaskState>(
      await manager.query(`UPDATE measure_task t SET disputed = $2 WHERE t.list_entry_id = ANY($1) AND t.state = 'active' RETURNING ${MEASURE_TASK_COLUMNS}`, [ids, disputed]),
    );
    return { entries: await this.entriesById(manager, ids), tasks };
  }

  /**
   * Entries whose last day in force was before `today`: those cut back to their limitation end
   * for that reason (`limitation-reached`), the others `expired`.
   */
  async expireEntries(manager: EntityManager, today: string, at: Date, reason: 'expired' | 'limitation-reached'): Promise<{ entries: EntryState[]; tasks: TaskState[] }> {
    const due: { id: string }[] = await manager.query(
      `SELECT id FROM list_entry WHERE state = 'active' AND valid_to < $1 AND (last_usable_on IS NOT NULL AND valid_to >= last_usable_on) = $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
      [today, reason === 'limitation-reached'],
    );
    return this.endEntries(manager, due.map((d) => d.id), reason, at);
  }

  /** Tasks shorter than their entry (a three-year bar inside a longer listing) or without one end on their own. */
  async expireTasks(manager: EntityManager, today: string, at: Date, reason: 'expired' | 'limitation-reached'): Promise<TaskState[]> {
    return this.endTasks(manager, `valid_to < $1 AND (last_usable_on IS NOT NULL AND valid_to >= last_usable_on) = $2`, [today, reason === 'limitation-reached'], reason, at);
  }

  /** Active tasks of the given memoranda's measures (memorandum id → measure codes), ended for a reason. */
  async endTasksOfMeasures(manager: EntityManager, measures: ReadonlyMap<string, readonly string[]>, reason: EndReason, at: Date): Promise<TaskState[]> {
    const pairs = [...measures].flatMap(([memorandumId, codes]) => codes.map((code) => ({ memorandum_id: memorandumId, measure_code: code })));
    if (pairs.length === 0) return [];
    return this.endTasks(
      manager,
      `(t.memorandum_id, t.measure_code) IN (SELECT memorandum_id, measure_code FROM jsonb_to_recordset($1::jsonb) AS m(memorandum_id text, measure_code text))`,
      [JSON.stringify(pairs)],
      reason,
      at,
    );
  }

  /** Active entries of one decision about one subject. */
  async activeEntriesOfDecision(manager: EntityManager, decisionId: string, subjectId: string): Promise<EntryState[]> {
    return manager.query(
      `SELECT ${ENTRY_COLUMNS} FROM list_entry le JOIN decision d ON d.id = le.decision_id WHERE le.state = 'active' AND le.decision_id = $1 AND le.subject_id = $2 ORDER BY le.id FOR UPDATE OF le`,
      [decisionId, subjectId],
    );
  }

  /** Active tasks without a list entry (penalty-based measures) that a removal or repair names. */
  async activeStandaloneTasks(manager: EntityManager, target: StandaloneTaskTarget): Promise<StandaloneTaskState[]> {
    const columns = `${MEASURE_TASK_COLUMNS},
      (t.created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "publishedOn", t.explanation->'facts'->>'severity' AS severity, d.cause_event_source AS "causeEventSource"`;
    if ('decisionId' in target) {
      // Only if the decision is about that subject (its own tasks target it as the subject).
      return manager.query(
        `SELECT ${columns} FROM measure_task t JOIN decision d ON d.id = t.decision_id
         WHERE t.decision_id = $1 AND t.list_entry_id IS NULL AND t.state = 'active'
           AND EXISTS (SELECT 1 FROM measure_task s WHERE s.decision_id = $1 AND s.target_id = $2 AND s.target_role = 'subject')
         ORDER BY t.id FOR UPDATE OF t`,
        [target.decisionId, target.subjectId],
      );
    }
    // The decisions of that penalty that concern the subject: its own tasks and its related persons'.
    return manager.query(
      `SELECT ${columns} FROM measure_task t JOIN decision d ON d.id = t.decision_id
       WHERE t.document_number = $1 AND t.list_entry_id IS NULL AND t.state = 'active'
         AND t.decision_id IN (SELECT s.decision_id FROM measure_task s WHERE s.document_number = $1 AND s.target_id = $2 AND s.target_role = 'subject')
       ORDER BY t.id FOR UPDATE OF t`,
      [target.documentNumber, target.subjectId],
    );
  }

  /** The event ids of an association's decided sanctions of a subject with this document number, not withdrawn already. */
  async recordedSanctions(manager: EntityManager, source: string, subject: { idType: string; id: string }, documentNumber: string): Promise<string[]> {
    const rows: { eventId: string }[] = await manager.query(
      `SELECT x."eventId" FROM (${associationSanctionsSql('$2', '$3', null)}) x
       WHERE x.source = $1 AND x.data ->> 'documentNumber' = $4 ORDER BY 1`,
      [source, subject.id, subject.idType, documentNumber],
    );
    return rows.map((r) => r.eventId);
  }

  /** End the given active tasks; returns those that changed. */
  async endTasksById(manager: EntityManager, taskIds: readonly string[], reason: EndReason, at: Date): Promise<TaskState[]> {
    if (taskIds.length === 0) return [];
    return this.endTasks(manager, `t.id = ANY($1)`, [taskIds], reason, at);
  }

  /** Active entries on `listCode` that began on or before `startedBy` (escalation candidates). */
  async activeEntriesStartedBy(manager: EntityManager, listCode: string, startedBy: string): Promise<EntryState[]> {
    return manager.query(
      `SELECT ${ENTRY_COLUMNS} FROM list_entry le JOIN decision d ON d.id = le.decision_id
       WHERE le.state = 'active' AND le.list_code = $1 AND le.valid_from <= $2 ORDER BY le.valid_from, le.id FOR UPDATE OF le SKIP LOCKED`,
      [listCode, startedBy],
    );
  }

  async tasksOfDecisions(manager: EntityManager, decisionIds: readonly string[]): Promise<TaskState[]> {
    if (decisionIds.length === 0) return [];
    return manager.query(`SELECT ${MEASURE_TASK_COLUMNS} FROM measure_task t WHERE t.decision_id = ANY($1) ORDER BY t.id`, [decisionIds]);
  }

  /** Who a stored decision was addressed to, its cause, and all its tasks (any state): what its lifecycle records need. */
  async decisionParties(manager: EntityManager, decisionIds: readonly string[]): Promise<Map<string, StoredDecisionParties>> {
    if (decisionIds.length === 0) return new Map();
    const rows: { id: string; addressees: string[]; causeEventSource: string }[] = await manager.query(
      `SELECT id, ARRAY(SELECT jsonb_array_elements_text(record->'addressees')) AS addressees, cause_event_source AS "causeEventSource" FROM decision WHERE id = ANY($1)`,
      [decisionIds],
    );
    const tasks = new Map<string, TaskState[]>();
    for (const task of await this.tasksOfDecisions(manager, decisionIds)) {
      const list = tasks.get(task.decisionId);
      if (list) list.push(task);
      else tasks.set(task.decisionId, [task]);
    }
    return new Map(rows.map((r) => [r.id, { addressees: r.addressees, causeEventSource: r.causeEventSource, tasks: tasks.get(r.id) ?? [] }]));
  }

  /**
   * The subject's objections and repairs decided within the five-year limit up to `today`, oldest
   * first: they live as their events in inbound_event (with the lifecycle's outcome), not in a table of their own.
   * Only those whose target is among `shown` (the records a report shows): one about a decision by
   * its id, one about a penalty by its document number, one about a list by its code; a repair or
   * objection of a record no longer published (repaired, revoked, past its limit) is left out with it.
   */
  async objectionsAndRepairs(manager: EntityManager, subject: { idType: string; id: string }, today: string, shown: ShownRecords): Promise<ObjectionOrRepairRow[]> {
    return manager.query(
      `SELECT ie.type, ie.source, ie.event_id AS "eventId",
              jsonb_build_object('documentNumber', d ->> 'documentNumber', 'decidedOn', d ->> 'decidedOn', 'listCode', d ->> 'listCode',
                'penaltyDocumentNumber', d ->> 'penaltyDocumentNumber', 'decisionId', d ->> 'decisionId', 'objectionId', d ->> 'objectionId',
                'reason', d ->> 'reason', 'outcome', d ->> 'outcome') AS data,
              CASE WHEN ie.outcome IS NULL THEN NULL ELSE jsonb_build_object('status', ie.outcome ->> 'status', 'code', ie.outcome ->> 'code', 'reason', ie.outcome ->> 'reason') END AS outcome
       FROM inbound_event ie CROSS JOIN LATERAL (SELECT ie.envelope -> 'data' AS d) x
       WHERE ie.type = ANY($3::text[]) AND ie.subject_id = $1 AND ie.status = 'processed'
         AND d -> 'subject' ->> 'idType' = $2
         AND d ->> 'decidedOn' BETWEEN ($4::date - interval '${LEGAL_LIMITATION_YEARS} years')::date::text AND $4::date::text
         AND CASE WHEN d ->> 'decisionId' IS NOT NULL THEN d ->> 'decisionId' = ANY($7::text[])
                  WHEN d ->> 'penaltyDocumentNumber' IS NOT NULL THEN d ->> 'penaltyDocumentNumber' = ANY($6::text[])
                  ELSE coalesce(d ->> 'listCode' = ANY($5::text[]), false) END
       ORDER BY d ->> 'decidedOn', ie.seq`,
      [subject.id, subject.idType, [EVENT_TYPES.objectionFiled, EVENT_TYPES.objectionResolved, EVENT_TYPES.repairApproved], today, shown.listCodes, shown.penaltyDocumentNumbers, shown.decisionIds],
    );
  }

  /** The original event (for its related persons) behind a decision. */
  async causeEnvelope(manager: EntityManager, source: string, eventId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await manager.query(`SELECT envelope FROM inbound_event WHERE source = $1 AND event_id = $2`, [source, eventId]);
    return row?.envelope;
  }

  async recordOutcome(manager: EntityManager, source: string, eventId: string, outcome: Record<string, unknown>): Promise<void> {
    await manager.query(`UPDATE inbound_event SET outcome = $3 WHERE source = $1 AND event_id = $2`, [source, eventId, outcome]);
  }

  private async endTasks(manager: EntityManager, where: string, params: unknown[], reason: EndReason, at: Date): Promise<TaskState[]> {
    const n = params.length;
    return returningRows<TaskState>(
      await manager.query(
        `UPDATE measure_task t SET state = $${n + 1}, end_reason = $${n + 2}, ended_at = $${n + 3} WHERE t.state = 'active' AND ${where} RETURNING ${MEASURE_TASK_COLUMNS}`,
        [...params, reason === 'expired' || reason === 'limitation-reached' ? 'expired' : 'revoked', reason, at],
      ),
    );
  }

  private async entriesById(manager: EntityManager, ids: readonly string[]): Promise<EntryState[]> {
    return manager.query(`SELECT ${ENTRY_COLUMNS} FROM list_entry le JOIN decision d ON d.id = le.decision_id WHERE le.id = ANY($1) ORDER BY le.id`, [ids]);
  }
}

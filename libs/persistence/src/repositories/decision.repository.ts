import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CanonicalMeasureTerms, FeedEntry, issuableDecision, LifecycleChangeFact, memorandumHeading, MemorandumHeading, MeasureTermsRef } from '@app/decision-log';
import type { Explanation, PlannedDecision } from '@app/rules';
import { LifecycleChangeRepository } from './lifecycle-change.repository';

/**
 * The decision as stored whole: every entry and task, with each rule's explanation (and its
 * condition trace) once rather than repeated on every task it produced. A task's text and
 * legal basis are its measure_task row's (columns that never change), not repeated here; the
 * task keeps the reference to its measure terms instead, which its records carry.
 */
export function compactRecord(decision: PlannedDecision, termsByTask: ReadonlyMap<string, MeasureTermsRef>): Record<string, unknown> {
  const explanations: Record<string, unknown> = {};
  const strip = <T extends { explanation: { rule: { name: string } } }>(item: T) => {
    const { explanation, ...rest } = item;
    explanations[explanation.rule.name] = explanation;
    return { ...rest, rule: explanation.rule.name };
  };
  return {
    ...decision,
    listEntries: decision.listEntries.map(strip),
    measureTasks: decision.measureTasks.map(({ text: _text, legalBasis: _legalBasis, ...task }) => ({ ...strip(task), terms: termsByTask.get(task.id) })),
    explanations,
  };
}

/**
 * The explanation kept on each list entry and measure task row: memorandum, rule, revision,
 * cause and facts — what a check or an objection shows. The condition trace is kept once,
 * in the decision's record (`explanations[rule]`), not on each of its ~9 task rows.
 */
export function rowExplanation(explanation: Explanation): Omit<Explanation, 'conditions'> {
  const { conditions: _conditions, ...rest } = explanation;
  return rest;
}

/** When decisions were issued and their memoranda's headings that day: what their decision.issued records are rendered with. */
export interface DecisionIssue {
  at: Date;
  memoranda: ReadonlyMap<string, MemorandumHeading>;
}

/**
 * Stores decisions, their list entries and measure tasks, and the feed entries that
 * announce them, set-wise (one statement per table per batch). Ids are derived from the
 * cause, so a redelivered event conflicts instead of duplicating.
 */
@Injectable()
export class DecisionRepository {
  private readonly changes = new LifecycleChangeRepository();

  async saveAll(manager: EntityManager, decisions: readonly PlannedDecision[], entries: readonly FeedEntry[], issue: DecisionIssue): Promise<void> {
    if (decisions.length > 0) await this.saveDecisions(manager, decisions, issue);
    await this.saveFeedRecords(manager, entries);
  }

  private async saveDecisions(manager: EntityManager, decisions: readonly PlannedDecision[], issue: DecisionIssue): Promise<void> {
    const terms = new Map<MeasureTermsRef, CanonicalMeasureTerms>();
    const termsByDecision = new Map<string, Map<string, MeasureTermsRef>>();
    for (const d of decisions) {
      const issuable = issuableDecision(d, issue.memoranda.get(d.memorandumId));
      for (const t of issuable.terms) terms.set(t.ref, t);
      termsByDecision.set(d.id, new Map(issuable.decision.measureTasks.map((t) => [t.id, t.terms])));
    }
    if (terms.size > 0) {
      // Sorted, so concurrent batches take the keys' locks in one order.
      await manager.query(
        `INSERT INTO measure_terms (ref, canonical) SELECT ref, canonical FROM jsonb_to_recordset($1::jsonb) AS x(ref text, canonical text) ON CONFLICT (ref) DO NOTHING`,
        [JSON.stringify([...terms.values()].sort((a, b) => a.ref.localeCompare(b.ref)).map(({ ref, canonical }) => ({ ref, canonical })))],
      );
    }
    await manager.query(
      // The cause's request id and traceparent come from its inbox row, written before (embedded) or in this transaction (Kafka).
      `INSERT INTO decision (id, cause_event_source, cause_event_id, memorandum_id, memorandum_version, rule_set_revision, rule_release, record, issued_at, memorandum, request_id, traceparent)
       SELECT x.id, x.cause_event_source, x.cause_event_id, x.memorandum_id, x.memorandum_version, x.rule_set_revision, x.rule_release, x.record, x.issued_at, x.memorandum, e.request_id, e.traceparent
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, cause_event_source text, cause_event_id text, memorandum_id text, memorandum_version text, rule_set_revision text, rule_release integer, record jsonb, issued_at timestamptz, memorandum jsonb)
       LEFT JOIN inbound_event e ON e.source = x.cause_event_source AND e.event_id = x.cause_event_id
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          decisions.map((d) => ({
            id: d.id,
            cause_event_source: d.causeEventSource,
            cause_event_id: d.causeEventId,
            memorandum_id: d.memorandumId,
            memorandum_version: d.memorandumVersion,
            rule_set_revision: d.ruleSetRevision,
            rule_release: d.ruleSetRelease,
            record: compactRecord(d, termsByDecision.get(d.id) ?? new Map()),
            issued_at: issue.at.toISOString(),
            memorandum: memorandumHeading(issue.memoranda.get(d.memorandumId)),
          })),
        ),
      ],
    );

    const entries = decisions.flatMap((d) =>
      d.listEntries.map((e) => ({
        id: e.id,
        decision_id: d.id,
        memorandum_id: e.memorandumId,
        memorandum_version: e.memorandumVersion,
        list_code: e.listCode,
        list_type: e.listType,
        subject_kind: e.subject.kind,
        subject_id_type: e.subject.idType,
        subject_id: e.subject.id,
        subject_name: e.subject.name,
        reason: e.reason,
        document_number: e.documentNumber,
        identifying_department: e.identifyingDepartment,
        valid_from: e.validFrom,
        valid_to: e.validTo,
        conduct_ended_on: e.limitation?.conductEndedOn ?? null,
        last_usable_on: e.limitation?.lastUsableOn ?? null,
        explanation: rowExplanation(e.explanation),
      })),
    );
    if (entries.length > 0) {
      await manager.query(
        `INSERT INTO list_entry (id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, reason, document_number, identifying_department, valid_from, valid_to, conduct_ended_on, last_usable_on, explanation)
         SELECT id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, reason, document_number, identifying_department, valid_from, valid_to, conduct_ended_on, last_usable_on, explanation
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, decision_id uuid, memorandum_id text, memorandum_version text, list_code text, list_type text, subject_kind text, subject_id_type text, subject_id text, subject_name text, reason text, document_number text, identifying_department text, valid_from date, valid_to date, conduct_ended_on date, last_usable_on date, explanation jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(entries)],
      );
    }

    const tasks = decisions.flatMap((d) =>
      d.measureTasks.map((t) => ({
        id: t.id,
        decision_id: d.id,
        list_entry_id: t.listEntryId,
        memorandum_id: t.memorandumId,
        measure_code: t.measureCode,
        category: t.category,
        text: t.text,
        implementing_department: t.implementingDepartment,
        cooperating_departments: t.cooperatingDepartments,
        legal_basis: t.legalBasis,
        target_role: t.targetRole,
        target_id_type: t.target.idType,
        target_id: t.target.id,
        target_name: t.target.name,
        document_number: t.documentNumber,
        valid_from: t.validFrom,
        valid_to: t.validTo,
        conduct_ended_on: t.limitation?.conductEndedOn ?? null,
        last_usable_on: t.limitation?.lastUsableOn ?? null,
        feedback_due_on: t.feedbackDueOn ?? null,
        feedback_due_provisional: t.feedbackDueProvisional ?? false,
        explanation: rowExplanation(t.explanation),
      })),
    );
    if (tasks.length > 0) {
      await manager.query(
        `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis, target_role, target_id_type, target_id, target_name, document_number, valid_from, valid_to, conduct_ended_on, last_usable_on, feedback_due_on, feedback_due_provisional, explanation)
         SELECT id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis, target_role, target_id_type, target_id, target_name, document_number, valid_from, valid_to, conduct_ended_on, last_usable_on, feedback_due_on, feedback_due_provisional, explanation
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, decision_id uuid, list_entry_id uuid, memorandum_id text, measure_code text, category text, text jsonb, implementing_department text, cooperating_departments jsonb, legal_basis jsonb, target_role text, target_id_type text, target_id text, target_name text, document_number text, valid_from date, valid_to date, conduct_ended_on date, last_usable_on date, feedback_due_on date, feedback_due_provisional boolean, explanation jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(tasks)],
      );
    }
  }

  /**
   * Feed entries in the order given: their sequence is the order departments read them in. An
   * entry without a payload is rendered when read: decision.issued from its decision, a
   * lifecycle record from its change, stored here once for all its addressees.
   */
  async saveFeedRecords(manager: EntityManager, records: readonly FeedEntry[]): Promise<void> {
    const changes = new Map<string, LifecycleChangeFact>();
    for (const r of records) if ('change' in r) changes.set(r.change.id, r.change);
    await this.changes.save(manager, [...changes.values()]);
    if (records.length > 0) {
      await manager.query(
        `INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, cause_key, payload, lifecycle_change_id)
         SELECT record_id, department, kind, decision_id, subject_id, cause_key, payload, lifecycle_change_id
         FROM jsonb_to_recordset($1::jsonb) AS x(record_id uuid, department text, kind text, decision_id uuid, subject_id text, cause_key text, payload jsonb, lifecycle_change_id uuid)
         ON CONFLICT (record_id) DO NOTHING`,
        [
          JSON.stringify(
            records.map((r) => ({
              record_id: r.recordId,
              department: r.department,
              kind: r.kind,
              decision_id: r.decisionId,
              subject_id: r.subjectId,
              cause_key: r.causeKey,
              payload: 'payload' in r ? r.payload : null,
              lifecycle_change_id: 'change' in r ? r.change.id : null,
            })),
          ),
        ],
      );
    }
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DecisionIssuedRecord, decisionIssuedRecord, IssuableDecision, IssuableTask, MemorandumHeading } from '@app/decision-log';

/** A feed index row whose decision.issued record is rendered from its stored decision. */
export interface IssuedRecordRef {
  decisionId: string;
  department: string;
}

interface StoredIssue {
  id: string;
  /** compactRecord's shape: the planned decision, each task's explanation reduced to its rule's name. */
  record: Omit<IssuableDecision, 'measureTasks'> & { measureTasks: (Omit<IssuableTask, 'text' | 'legalBasis' | 'explanation'> & { rule: string })[] };
  memorandum: MemorandumHeading | null;
  issuedAt: string;
  /** What the task rows hold once (text, legal basis, the facts of its explanation), by task id. */
  tasks: Record<string, Pick<IssuableTask, 'text' | 'legalBasis'> & { facts: Record<string, unknown> }> | null;
}

/**
 * Reads stored decisions back as the decision.issued builder takes them, so a department's
 * record is rendered when read or relayed rather than stored once per addressee. Everything it
 * reads is written once with the decision and never updated (the record, its memorandum heading
 * and issue instant, the tasks' text, legal basis and explanation), so a record rendered twice is
 * the same record.
 */
@Injectable()
export class IssuedDecisionRepository {
  /** The records of the given rows, by decision id and department; a row whose decision was stored without an issue instant has none. */
  async render(manager: EntityManager, refs: readonly IssuedRecordRef[]): Promise<Map<string, DecisionIssuedRecord>> {
    const rendered = new Map<string, DecisionIssuedRecord>();
    if (refs.length === 0) return rendered;
    const stored: StoredIssue[] = await manager.query(
      // Tasks by primary key: the ids the record names.
      `SELECT d.id, d.record, d.memorandum, to_char(d.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "issuedAt",
         (SELECT jsonb_object_agg(t.id::text, jsonb_build_object('text', t.text, 'legalBasis', t.legal_basis, 'facts', t.explanation->'facts'))
            FROM measure_task t WHERE t.id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(d.record->'measureTasks') x)) AS tasks
       FROM decision d WHERE d.id = ANY($1::uuid[]) AND d.issued_at IS NOT NULL`,
      [[...new Set(refs.map((r) => r.decisionId))]],
    );
    // The decision as planned is rebuilt once per decision, not once per addressee.
    const byId = new Map(stored.map((s) => [s.id, { issue: s, issuable: issuableOf(s) }]));
    for (const ref of refs) {
      const found = byId.get(ref.decisionId);
      if (!found) continue;
      const { issue, issuable } = found;
      const record = decisionIssuedRecord(issuable, issue.memorandum ?? undefined, new Date(issue.issuedAt), ref.department);
      rendered.set(issuedRecordKey(ref), record.payload);
    }
    return rendered;
  }
}

export function issuedRecordKey(ref: IssuedRecordRef): string {
  return `${ref.decisionId}/${ref.department}`;
}

function issuableOf({ record, tasks }: StoredIssue): IssuableDecision {
  return {
    ...record,
    measureTasks: record.measureTasks.map(({ rule, ...task }) => {
      const row = tasks?.[task.id];
      if (!row) throw new Error(`measure task ${task.id} of decision ${record.id} is missing`);
      return { ...task, text: row.text, legalBasis: row.legalBasis, explanation: { rule: { name: rule }, facts: row.facts } };
    }),
  };
}

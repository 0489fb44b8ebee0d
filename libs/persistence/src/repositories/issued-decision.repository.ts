import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DecisionIssuedRecord, decisionIssuedRecord, IssuableDecision, MemorandumHeading } from '@app/decision-log';

/** A feed index row whose decision.issued record is rendered from its stored decision. */
export interface IssuedRecordRef {
  decisionId: string;
  department: string;
}

interface StoredIssue {
  id: string;
  /** compactRecord's shape: the planned decision, each task's explanation reduced to its rule's name and its terms to their reference. */
  record: Omit<IssuableDecision, 'facts'> & { explanations: Record<string, { facts: Record<string, unknown> }> };
  memorandum: MemorandumHeading | null;
  issuedAt: string;
}

/**
 * Reads stored decisions back as the decision.issued builder takes them, so a department's
 * record is rendered when read or relayed rather than stored once per addressee. Everything it
 * reads is written once with the decision and never updated (the record with its explanations
 * and terms references, its memorandum heading and issue instant), so a record rendered twice is
 * the same record. Decisions issued before records carried terms by reference have their
 * records stored in feed_record (migration 1765411200000) and never come here.
 */
@Injectable()
export class IssuedDecisionRepository {
  /** The records of the given rows, by decision id and department; a row whose decision was stored without an issue instant has none. */
  async render(manager: EntityManager, refs: readonly IssuedRecordRef[]): Promise<Map<string, DecisionIssuedRecord>> {
    const rendered = new Map<string, DecisionIssuedRecord>();
    if (refs.length === 0) return rendered;
    const stored: StoredIssue[] = await manager.query(
      `SELECT d.id, d.record, d.memorandum, to_char(d.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "issuedAt"
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

function issuableOf({ record }: StoredIssue): IssuableDecision {
  for (const task of record.measureTasks) if (!task.terms) throw new Error(`measure task ${task.id} of decision ${record.id} has no terms reference`);
  const { explanations, ...decision } = record;
  return { ...decision, facts: Object.fromEntries(Object.entries(explanations).map(([rule, e]) => [rule, e.facts])) };
}

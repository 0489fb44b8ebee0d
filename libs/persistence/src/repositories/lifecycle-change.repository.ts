import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LifecycleChangeFact, LifecycleRecord, lifecycleRecordsOf } from '@app/decision-log';

/** A feed index row whose lifecycle record is rendered from its stored change. */
export interface LifecycleRecordRef {
  changeId: string;
  department: string;
}

/**
 * Lifecycle changes, stored once per decision (lifecycle_change), and their records rendered
 * from them for the feed and the relay.
 */
@Injectable()
export class LifecycleChangeRepository {
  /** Insert each change once: a redelivered event derives the same id and conflicts. */
  async save(manager: EntityManager, changes: readonly LifecycleChangeFact[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `INSERT INTO lifecycle_change (id, decision_id, fact)
       SELECT id, decision_id, fact FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, decision_id uuid, fact jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(changes.map((c) => ({ id: c.id, decision_id: c.decisionId, fact: c })))],
    );
  }

  /** The records of the given rows, by change id and department. */
  async render(manager: EntityManager, refs: readonly LifecycleRecordRef[]): Promise<Map<string, LifecycleRecord>> {
    const rendered = new Map<string, LifecycleRecord>();
    if (refs.length === 0) return rendered;
    const rows: { id: string; fact: LifecycleChangeFact }[] = await manager.query(`SELECT id, fact FROM lifecycle_change WHERE id = ANY($1::uuid[])`, [[...new Set(refs.map((r) => r.changeId))]]);
    // A change's records are built together (one per addressee), so each change is built once, not once per row.
    for (const { fact } of rows) {
      for (const record of lifecycleRecordsOf(fact)) rendered.set(lifecycleRecordKey({ changeId: fact.id, department: record.department }), record.payload);
    }
    return rendered;
  }
}

export function lifecycleRecordKey(ref: LifecycleRecordRef): string {
  return `${ref.changeId}/${ref.department}`;
}

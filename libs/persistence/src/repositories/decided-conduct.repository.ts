import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conductKeyText, type ConductKey } from '@app/rules';
import { ADVISORY_LOCKS } from '../advisory-locks';

/** How many advisory locks the conducts are spread over (a power of two). */
export const CONDUCT_LOCK_BUCKETS = 128;

/** A conduct already decided: the stored decision that holds it, and its entries and tasks on the subject. */
export interface DecidedConduct extends ConductKey {
  decisionId: string;
  causeEventSource: string;
  causeEventId: string;
  entries: string[];
  tasks: string[];
}

/**
 * Which conducts (memorandum × subject × document number) already have a decision, in any state:
 * a listing repaired or removed stays decided, so a copy that arrives later by another route does
 * not list the subject again.
 */
@Injectable()
export class DecidedConductRepository {
  /**
   * Serialise deciding these conducts across engines until the caller's transaction ends: two copies
   * decided at once in two transactions would each find the other not yet stored. Conducts share
   * CONDUCT_LOCK_BUCKETS locks (a batch of thousands must not fill PostgreSQL's shared lock table;
   * sharing only makes unrelated batches wait), taken in one order so that batches wait, never deadlock.
   */
  async lock(manager: EntityManager, keys: readonly ConductKey[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(
      `SELECT pg_advisory_xact_lock($1::int, bucket) FROM (SELECT DISTINCT hashtext(k) & $3::int AS bucket FROM unnest($2::text[]) AS t(k) ORDER BY 1) buckets`,
      [ADVISORY_LOCKS.decidedConduct, [...new Set(keys.map(conductKeyText))], CONDUCT_LOCK_BUCKETS - 1],
    );
  }

  async find(manager: EntityManager, keys: readonly ConductKey[]): Promise<DecidedConduct[]> {
    if (keys.length === 0) return [];
    return manager.query(
      `SELECT k.memorandum_id AS "memorandumId", k.subject_id AS "subjectId", k.document_number AS "documentNumber",
              d.id AS "decisionId", d.cause_event_source AS "causeEventSource", d.cause_event_id AS "causeEventId",
              ARRAY(SELECT le.id::text FROM list_entry le WHERE le.decision_id = d.id AND le.subject_id = k.subject_id ORDER BY le.id) AS entries,
              ARRAY(SELECT t.id::text FROM measure_task t WHERE t.decision_id = d.id AND t.target_id = k.subject_id ORDER BY t.id) AS tasks
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(memorandum_id, subject_id, document_number)
       JOIN LATERAL (
         SELECT le.decision_id FROM list_entry le
          WHERE le.subject_id = k.subject_id AND le.document_number = k.document_number AND le.memorandum_id = k.memorandum_id
         UNION
         SELECT t.decision_id FROM measure_task t
          WHERE t.document_number = k.document_number AND t.target_id = k.subject_id AND t.target_role = 'subject' AND t.memorandum_id = k.memorandum_id
         ORDER BY 1 LIMIT 1
       ) hit ON true
       JOIN decision d ON d.id = hit.decision_id`,
      [keys.map((k) => k.memorandumId), keys.map((k) => k.subjectId), keys.map((k) => k.documentNumber)],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LEGAL_LIMITATION_YEARS, type AssociationSanctionFact, type CreditClassBasis, type CreditClassFacts } from '@app/rules';
import { associationSanctionFact, AssociationSanctionRow, associationSanctionsSql } from '../columns/association-sanction.columns';
import { withinLimitationSql } from './commitment.repository';

/** A subject by its identifier (the credit check's SubjectKey, which reads these rows). */
interface SubjectKey {
  idType: string;
  id: string;
}

/** What is in force about a subject as the class facts count it, read in the caller's transaction (commitments come from elsewhere). */
export type StandingCounts = Omit<CreditClassFacts, 'subjectKind' | 'commitments.broken' | 'commitments.kept' | `selfDiscipline.${string}`>;

/** The standing, and the first day after `today` on which time alone changes it (null: nothing on record will). */
export interface Standing {
  counts: StandingCounts;
  nextChangeOn: string | null;
}

/** A credit_class row as every reader takes it. */
export interface StoredCreditClass {
  modelId: string;
  subjectIdType: string;
  subjectId: string;
  subjectKind: string;
  class: string;
  basis: Exclude<CreditClassBasis, 'default'>;
  modelVersion: string;
  modelRevision: string;
  explanation: Record<string, unknown>;
  asOf: string;
  causeKey: string;
  /** ISO instants. */
  changedAt: string;
  computedAt: string;
}

/** A class to store: the current row, and whether it changed the class (then a history row too). */
export interface CreditClassWrite extends Omit<StoredCreditClass, 'changedAt' | 'computedAt'> {
  previousClass: string | null;
  changed: boolean;
  at: Date;
}

const isoInstant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const CLASS_COLUMNS = `c.model_id AS "modelId", c.subject_id_type AS "subjectIdType", c.subject_id AS "subjectId", c.subject_kind AS "subjectKind",
  c.class, c.basis, c.model_version AS "modelVersion", c.model_revision AS "modelRevision", c.explanation, c.as_of::text AS "asOf",
  c.cause_key AS "causeKey", ${isoInstant('c.changed_at')} AS "changedAt", ${isoInstant('c.computed_at')} AS "computedAt"`;

// In force on $2: active and valid_from ≤ $2 ≤ valid_to (valid_to is the last day in force), as the credit check counts.
const IN_FORCE = (alias: string) => `${alias}.state = 'active' AND $2::date BETWEEN ${alias}.valid_from AND ${alias}.valid_to`;

/**
 * One statement for a set of subjects: list entries in force by type, the sanctions in force
 * against the subject itself by the severity of the conduct (a rule's facts, else its list's
 * type: a blacklisting is serious, a key-attention listing general), and decisions on penalties
 * (credit.penalty.imposed.v1) with measures still in force, i.e. within their publicity, by severity.
 */
const STANDING_SQL = `
WITH s AS (SELECT DISTINCT * FROM jsonb_to_recordset($1::jsonb) AS s(id_type text, id text))
SELECT s.id_type AS "idType", s.id,
  coalesce(l.black, 0) AS "lists.black", coalesce(l.key_attention, 0) AS "lists.keyAttention", coalesce(l.red, 0) AS "lists.red",
  coalesce(l.codes, '{}') AS "listCodes", coalesce(l.disputed, 0) AS "disputedEntries",
  coalesce(m.serious, 0) AS "measures.serious", coalesce(m.general, 0) AS "measures.general", coalesce(m.minor, 0) AS "measures.minor",
  coalesce(m.p_serious, 0) AS "penalties.serious", coalesce(m.p_general, 0) AS "penalties.general", coalesce(m.p_minor, 0) AS "penalties.minor",
  coalesce(l.red, 0) AS commendations, n.next_change::text AS "nextChangeOn"
FROM s
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE le.list_type = 'black')::int AS black, count(*) FILTER (WHERE le.list_type = 'key-attention')::int AS key_attention,
         count(*) FILTER (WHERE le.list_type = 'red')::int AS red, count(*) FILTER (WHERE le.disputed)::int AS disputed,
         array_agg(DISTINCT le.list_code ORDER BY le.list_code) AS codes
  FROM list_entry le
  WHERE le.subject_id = s.id AND le.subject_id_type = s.id_type AND ${IN_FORCE('le')}
) l ON true
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE x.severity = 'serious')::int AS serious, count(*) FILTER (WHERE x.severity = 'general')::int AS general,
         count(*) FILTER (WHERE x.severity = 'minor')::int AS minor,
         count(DISTINCT x.decision_id) FILTER (WHERE x.penalty AND x.severity = 'serious')::int AS p_serious,
         count(DISTINCT x.decision_id) FILTER (WHERE x.penalty AND x.severity = 'general')::int AS p_general,
         count(DISTINCT x.decision_id) FILTER (WHERE x.penalty AND x.severity = 'minor')::int AS p_minor
  FROM (
    SELECT t.decision_id, t.explanation -> 'causeEvent' ->> 'type' = 'credit.penalty.imposed.v1' AS penalty,
           coalesce(t.explanation -> 'facts' ->> 'severity', e.envelope -> 'data' ->> 'severity',
                    CASE le.list_type WHEN 'black' THEN 'serious' WHEN 'key-attention' THEN 'general' END) AS severity
    FROM measure_task t
    LEFT JOIN list_entry le ON le.id = t.list_entry_id
    LEFT JOIN inbound_event e ON t.explanation -> 'facts' ->> 'severity' IS NULL AND e.source = t.explanation -> 'causeEvent' ->> 'source' AND e.event_id = t.explanation -> 'causeEvent' ->> 'id'
    WHERE t.target_id = s.id AND t.target_id_type = s.id_type AND t.target_role = 'subject' AND ${IN_FORCE('t')}
      AND (t.list_entry_id IS NULL OR le.state = 'active')
  ) x
) m ON true
LEFT JOIN LATERAL (
  -- The first day a fact changes by time alone: an entry or a task aimed at the subject coming into force
  -- (valid_from after today) or leaving it (the day after valid_to), a broken commitment leaving the five-year limit.
  SELECT min(d) AS next_change FROM (
    SELECT CASE WHEN le.valid_from > $2::date THEN le.valid_from ELSE le.valid_to + 1 END AS d
    FROM list_entry le WHERE le.subject_id = s.id AND le.subject_id_type = s.id_type AND le.state = 'active' AND le.valid_to >= $2::date
    UNION ALL
    SELECT CASE WHEN t.valid_from > $2::date THEN t.valid_from ELSE t.valid_to + 1 END
    FROM measure_task t WHERE t.target_id = s.id AND t.target_id_type = s.id_type AND t.target_role = 'subject' AND t.state = 'active' AND t.valid_to >= $2::date
    UNION ALL
    -- The day after the last day countedBreachSql counts it (withinLimitationSql: the same forward expression).
    SELECT (cc.closed_on + interval '${LEGAL_LIMITATION_YEARS} years')::date + 1
    FROM credit_commitment cc WHERE cc.subject_id = s.id AND cc.subject_id_type = s.id_type AND cc.state = 'breached'
      AND ${withinLimitationSql('cc.closed_on', '$2::date')}
  ) d
) n ON true`;

/**
 * The associations' decided sanctions of a set of subjects (associationSanctionsSql for each), $1
 * the subjects, $2 the China date: those decided for a later day too, which name the day the
 * class must look again (a department may publish a decision before it takes effect).
 */
const SANCTIONS_SQL = `
WITH s AS (SELECT DISTINCT * FROM jsonb_to_recordset($1::jsonb) AS s(id_type text, id text))
SELECT s.id_type AS "idType", s.id AS "subjectId", x."eventId", x.source, x.data
FROM s CROSS JOIN LATERAL (${associationSanctionsSql('s.id', 's.id_type', '$2::date', { upcoming: true })}) x
ORDER BY 1, 2, x."eventId"`;

/** Credit classes: the standing they are computed from, the current row per subject and model, and the history. */
@Injectable()
export class CreditClassRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The standing of each subject on the China date `today`, by `idType/id`. */
  async standings(manager: EntityManager, subjects: readonly SubjectKey[], today: string): Promise<Map<string, Standing>> {
    if (subjects.length === 0) return new Map();
    const rows = (await manager.query(STANDING_SQL, [JSON.stringify(subjects.map((s) => ({ id_type: s.idType, id: s.id }))), today])) as (StandingCounts & { idType: string; id: string; nextChangeOn: string | null })[];
    return new Map(rows.map(({ idType, id, nextChangeOn, ...counts }) => [subjectKeyOf({ idType, id }), { counts, nextChangeOn }]));
  }

  /** The associations' sanctions of each subject that may still be shown on `today` or later (selfDisciplineRecordOf decides), by `idType/id`. */
  async sanctions(manager: EntityManager, subjects: readonly SubjectKey[], today: string): Promise<Map<string, AssociationSanctionFact[]>> {
    const found = new Map<string, AssociationSanctionFact[]>();
    if (subjects.length === 0) return found;
    const rows = (await manager.query(SANCTIONS_SQL, [JSON.stringify(subjects.map((s) => ({ id_type: s.idType, id: s.id }))), today])) as (AssociationSanctionRow & { idType: string; subjectId: string })[];
    for (const row of rows) {
      const key = subjectKeyOf({ idType: row.idType, id: row.subjectId });
      found.set(key, [...(found.get(key) ?? []), associationSanctionFact(row)]);
    }
    return found;
  }

  /**
   * When each subject's classes must be recomputed though nothing is published about it: the
   * first day its standing changes by time alone (null: never). The lifecycle tick sweeps them.
   */
  async scheduleRecompute(manager: EntityManager, due: readonly (SubjectKey & { dueOn: string | null })[]): Promise<void> {
    if (due.length === 0) return;
    await manager.query(
      `UPDATE credit_class c SET recompute_due_on = x.due_on
       FROM jsonb_to_recordset($1::jsonb) AS x(id_type text, id text, due_on date)
       WHERE c.subject_id_type = x.id_type AND c.subject_id = x.id AND c.recompute_due_on IS DISTINCT FROM x.due_on`,
      [JSON.stringify(due.map((d) => ({ id_type: d.idType, id: d.id, due_on: d.dueOn })))],
    );
  }

  /** Subjects whose recomputation is due on or before `today`, earliest first, at most `limit`. */
  async dueForRecompute(manager: EntityManager, today: string, limit: number): Promise<{ idType: string; id: string; kind: string }[]> {
    return manager.query(
      `SELECT c.subject_id_type AS "idType", c.subject_id AS id, min(c.subject_kind) AS kind
       FROM credit_class c WHERE c.recompute_due_on <= $1::date
       GROUP BY 1, 2 ORDER BY min(c.recompute_due_on), 1, 2 LIMIT $2`,
      [today, limit],
    );
  }

  /**
   * Subjects classified under a lower version of the model (its file changed since), at most
   * `limit`. Only lower: in a rolling deploy an engine still on the older model leaves the newer
   * one's rows alone, so the two do not rewrite each other's classes every tick, and the newer
   * model wins. Versions compare by number (1.10.0 after 1.9.0); the schema makes them X.Y.Z, and
   * a stored one that is not counts as older than any.
   */
  async classifiedUnderOlderVersion(manager: EntityManager, modelId: string, version: string, kinds: readonly string[], limit: number): Promise<{ idType: string; id: string; kind: string }[]> {
    const mine = versionNumbers(version);
    if (!mine) throw new Error(`model ${modelId}: version "${version}" is not X.Y.Z`);
    // Only kinds the model still classifies: another's row could never take the new version.
    return manager.query(
      `SELECT c.subject_id_type AS "idType", c.subject_id AS id, c.subject_kind AS kind
       FROM credit_class c WHERE c.model_id = $1 AND c.subject_kind = ANY($3::text[])
         AND (CASE WHEN c.model_version ~ '^\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}$' THEN string_to_array(c.model_version, '.')::int[] ELSE '{-1}'::int[] END) < $2::int[]
       ORDER BY 1, 2 LIMIT $4`,
      [modelId, mine, kinds, limit],
    );
  }

  /** The current classes of these subjects under every model, locked: two transactions recomputing one subject take turns. */
  async currentForUpdate(manager: EntityManager, subjects: readonly SubjectKey[]): Promise<StoredCreditClass[]> {
    if (subjects.length === 0) return [];
    return manager.query(
      `SELECT ${CLASS_COLUMNS} FROM credit_class c
       WHERE (c.subject_id_type, c.subject_id) IN (SELECT id_type, id FROM jsonb_to_recordset($1::jsonb) AS s(id_type text, id text))
       ORDER BY c.model_id, c.subject_id_type, c.subject_id FOR UPDATE`,
      [JSON.stringify(subjects.map((s) => ({ id_type: s.idType, id: s.id })))],
    );
  }

  /** Upsert the current rows; a row whose class changed (or the first) also goes into the history. */
  async save(manager: EntityManager, writes: readonly CreditClassWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const rows = JSON.stringify(
      writes.map((w) => ({
        model_id: w.modelId,
        subject_id_type: w.subjectIdType,
        subject_id: w.subjectId,
        subject_kind: w.subjectKind,
        class: w.class,
        basis: w.basis,
        model_version: w.modelVersion,
        model_revision: w.modelRevision,
        explanation: w.explanation,
        as_of: w.asOf,
        cause_key: w.causeKey,
        at: w.at.toISOString(),
        previous_class: w.previousClass,
        changed: w.changed,
      })),
    );
    const recordset = `jsonb_to_recordset($1::jsonb) AS x(model_id text, subject_id_type text, subject_id text, subject_kind text, class text, basis text,
      model_version text, model_revision text, explanation jsonb, as_of date, cause_key text, at timestamptz, previous_class text, changed boolean)`;
    await manager.query(
      `INSERT INTO credit_class (model_id, subject_id_type, subject_id, subject_kind, class, basis, model_version, model_revision, explanation, as_of, cause_key, changed_at, computed_at)
       SELECT model_id, subject_id_type, subject_id, subject_kind, class, basis, model_version, model_revision, explanation, as_of, cause_key, at, at FROM ${recordset}
       ORDER BY model_id, subject_id_type, subject_id
       ON CONFLICT (model_id, subject_id_type, subject_id) DO UPDATE SET
         subject_kind = excluded.subject_kind, class = excluded.class, basis = excluded.basis, model_version = excluded.model_version,
         model_revision = excluded.model_revision, explanation = excluded.explanation, as_of = excluded.as_of, cause_key = excluded.cause_key,
         changed_at = CASE WHEN credit_class.class = excluded.class THEN credit_class.changed_at ELSE excluded.changed_at END,
         computed_at = excluded.computed_at`,
      [rows],
    );
    await manager.query(
      `INSERT INTO credit_class_history (model_id, subject_id_type, subject_id, previous_class, class, basis, model_version, model_revision, explanation, cause_key, at)
       SELECT model_id, subject_id_type, subject_id, previous_class, class, basis, model_version, model_revision, explanation, cause_key, at FROM ${recordset}
       WHERE changed ORDER BY model_id, subject_id_type, subject_id`,
      [rows],
    );
  }

  /**
   * Listed subjects of these kinds with an entry in force and no class under the model: those on
   * record from before classes existed (or before the model). At most `limit`, in a stable order.
   */
  async unclassified(manager: EntityManager, modelId: string, kinds: readonly string[], today: string, limit: number): Promise<{ idType: string; id: string; kind: string }[]> {
    return manager.query(
      `SELECT DISTINCT le.subject_id_type AS "idType", le.subject_id AS id, le.subject_kind AS kind
       FROM list_entry le
       WHERE le.subject_kind = ANY($1::text[]) AND ${IN_FORCE('le')}
         AND NOT EXISTS (SELECT 1 FROM credit_class c WHERE c.model_id = $3 AND c.subject_id_type = le.subject_id_type AND c.subject_id = le.subject_id)
       ORDER BY 1, 2 LIMIT $4`,
      [kinds, today, modelId, limit],
    );
  }

  /** A subject's current classes under every model (the credit check; a credit report reads them in its snapshot, `manager`). */
  async classesOf(subject: SubjectKey, manager: EntityManager = this.dataSource.manager): Promise<StoredCreditClass[]> {
    return manager.query(`SELECT ${CLASS_COLUMNS} FROM credit_class c WHERE c.subject_id = $1 AND c.subject_id_type = $2 ORDER BY c.model_id`, [subject.id, subject.idType]);
  }

  /** The classes a subject was given under one model, oldest first. */
  async history(subject: SubjectKey, modelId: string): Promise<{ previousClass: string | null; class: string; basis: string; causeKey: string; at: string; explanation: Record<string, unknown> }[]> {
    return this.dataSource.query(
      `SELECT h.previous_class AS "previousClass", h.class, h.basis, h.cause_key AS "causeKey", ${isoInstant('h.at')} AS at, h.explanation
       FROM credit_class_history h WHERE h.subject_id = $1 AND h.subject_id_type = $2 AND h.model_id = $3 ORDER BY h.id`,
      [subject.id, subject.idType, modelId],
    );
  }
}

export function subjectKeyOf(subject: SubjectKey): string {
  return `${subject.idType}/${subject.id}`;
}

/** A model version's numbers (X.Y.Z), undefined when it is not one. */
function versionNumbers(version: string): number[] | undefined {
  return /^\d{1,9}\.\d{1,9}\.\d{1,9}$/.test(version) ? version.split('.').map(Number) : undefined;
}

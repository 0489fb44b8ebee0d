import { MigrationInterface, QueryRunner } from 'typeorm';
import { decisionIssuedPayloadV4, IssuableDecisionV4, LifecycleChangeFact, lifecyclePayloadsV4, MemorandumHeading } from '@app/decision-log';

/** How many feed rows one step of the materialisation reads and writes. */
const BATCH = 1000;

/**
 * Records version 5 carry a measure's terms (wording, legal basis, memorandum heading) by
 * reference to measure_terms and the other signatories' measures as counts per code. Records
 * rendered in version 4 before this migration keep what they said: their payloads are written
 * into feed_record here, by the frozen version-4 renderers, and served as stored from then on
 * (rendering applies to rows without a payload only). The app role may read and add terms,
 * never change them.
 */
export class MeasureTermsByReference1765411200000 implements MigrationInterface {
  name = 'MeasureTermsByReference1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "measure_terms" (
        "ref" text PRIMARY KEY,
        "canonical" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "measure_terms" TO credit_engine_app`);
    await materialiseVersion4(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Materialised payloads stay: they are the records as they were read.
    await queryRunner.query(`DROP TABLE "measure_terms"`);
  }
}

interface StoredV4 {
  id: string;
  record: Omit<IssuableDecisionV4, 'measureTasks'> & { measureTasks: (Omit<IssuableDecisionV4['measureTasks'][number], 'text' | 'legalBasis' | 'explanation'> & { rule: string })[] };
  memorandum: MemorandumHeading | null;
  issuedAt: string;
  tasks: Record<string, { text: IssuableDecisionV4['measureTasks'][number]['text']; legalBasis: IssuableDecisionV4['measureTasks'][number]['legalBasis']; facts: Record<string, unknown> }> | null;
}

/** Writes the version-4 payload of every feed row still rendered on read, in batches by sequence. */
export async function materialiseVersion4(queryRunner: { query(sql: string, parameters?: unknown[]): Promise<any> }): Promise<number> {
  let after = '0';
  let written = 0;
  for (;;) {
    const rows: { seq: string; department: string; kind: string; decisionId: string; changeId: string | null }[] = await queryRunner.query(
      `SELECT seq::text AS seq, department, kind, decision_id AS "decisionId", lifecycle_change_id AS "changeId"
       FROM feed_record WHERE payload IS NULL AND seq > $1 ORDER BY seq LIMIT $2`,
      [after, BATCH],
    );
    if (rows.length === 0) return written;
    after = rows[rows.length - 1].seq;
    const issued = rows.filter((r) => r.kind === 'decision.issued' && r.changeId === null);
    const decisions: StoredV4[] = issued.length === 0 ? [] : await queryRunner.query(
      `SELECT d.id, d.record, d.memorandum, to_char(d.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "issuedAt",
         (SELECT jsonb_object_agg(t.id::text, jsonb_build_object('text', t.text, 'legalBasis', t.legal_basis, 'facts', t.explanation->'facts'))
            FROM measure_task t WHERE t.id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(d.record->'measureTasks') x)) AS tasks
       FROM decision d WHERE d.id = ANY($1::uuid[]) AND d.issued_at IS NOT NULL`,
      [[...new Set(issued.map((r) => r.decisionId))]],
    );
    const changeIds = [...new Set(rows.flatMap((r) => (r.changeId ? [r.changeId] : [])))];
    const changes: { id: string; fact: LifecycleChangeFact }[] = changeIds.length === 0 ? [] : await queryRunner.query(`SELECT id, fact FROM lifecycle_change WHERE id = ANY($1::uuid[])`, [changeIds]);
    const decisionById = new Map(decisions.map((d) => [d.id, d]));
    const lifecycleById = new Map(changes.map((c) => [c.id, lifecyclePayloadsV4(c.fact)]));
    const payloads = rows.map((row) => {
      const payload = row.changeId ? lifecycleById.get(row.changeId)?.get(row.department) : issuedPayload(decisionById.get(row.decisionId), row.department);
      if (payload === undefined) throw new Error(`feed record ${row.seq} has neither a stored decision nor a stored change to render it from`);
      return { seq: row.seq, payload };
    });
    await queryRunner.query(
      `UPDATE feed_record f SET payload = x.payload::jsonb FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, payload text) WHERE f.seq = x.seq`,
      [JSON.stringify(payloads)],
    );
    written += payloads.length;
  }
}

function issuedPayload(stored: StoredV4 | undefined, department: string): string | undefined {
  if (!stored) return undefined;
  const { record, tasks } = stored;
  const decision: IssuableDecisionV4 = {
    ...record,
    measureTasks: record.measureTasks.map(({ rule, ...task }) => {
      const row = tasks?.[task.id];
      if (!row) throw new Error(`measure task ${task.id} of decision ${record.id} is missing`);
      return { ...task, text: row.text, legalBasis: row.legalBasis, explanation: { rule: { name: rule }, facts: row.facts } };
    }),
  };
  return decisionIssuedPayloadV4(decision, stored.memorandum ?? undefined, new Date(stored.issuedAt), department);
}

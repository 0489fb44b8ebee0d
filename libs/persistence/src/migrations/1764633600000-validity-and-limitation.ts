import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Validity as policy documents write it, and the five-year limit of dishonesty information.
 * - `valid_to` becomes the last day in force (inclusive, 有效期至 D): stored rows held the first day
 *   no longer in force, so each moves back one day; so do the entries and tasks kept in decision records.
 * - `conduct_ended_on` / `last_usable_on`: when the conduct ended (the cause event's conductEndedOn, or
 *   its decision date) and the last day its information may be a basis of sanctions. Rows that existed
 *   before get the legal maximum of five years, and an entry or task is cut back to it.
 * - `measure_task.document_number` (the cause's document number), so a repair or removal can name a
 *   penalty decision; `feed_record.cause_key` (the event behind each record) for the event status API.
 */
export class ValidityAndLimitation1764633600000 implements MigrationInterface {
  name = 'ValidityAndLimitation1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE list_entry SET valid_to = valid_to - 1`);
    await queryRunner.query(`UPDATE measure_task SET valid_to = valid_to - 1`);
    await queryRunner.query(`
      UPDATE decision SET record = record
        || jsonb_build_object('listEntries', (SELECT coalesce(jsonb_agg(e || jsonb_build_object('validTo', ((e->>'validTo')::date - 1)::text) ORDER BY n), '[]'::jsonb)
                                              FROM jsonb_array_elements(record->'listEntries') WITH ORDINALITY AS x(e, n)))
        || jsonb_build_object('measureTasks', (SELECT coalesce(jsonb_agg(t || jsonb_build_object('validTo', ((t->>'validTo')::date - 1)::text) ORDER BY n), '[]'::jsonb)
                                               FROM jsonb_array_elements(record->'measureTasks') WITH ORDINALITY AS x(t, n)))`);

    await queryRunner.query(`ALTER TABLE "list_entry" ADD "conduct_ended_on" date, ADD "last_usable_on" date`);
    await queryRunner.query(`ALTER TABLE "measure_task" ADD "document_number" text, ADD "conduct_ended_on" date, ADD "last_usable_on" date`);
    await queryRunner.query(`ALTER TABLE "feed_record" ADD "cause_key" text`);

    // Sanctions only: red-list entries (list_type red) carry no conduct.
    await queryRunner.query(`
      UPDATE list_entry le SET conduct_ended_on = coalesce(ie.envelope->'data'->>'conductEndedOn', ie.envelope->'data'->>'decidedOn')::date
      FROM decision d JOIN inbound_event ie ON ie.source = d.cause_event_source AND ie.event_id = d.cause_event_id
      WHERE d.id = le.decision_id AND le.list_type <> 'red'`);
    await queryRunner.query(`
      UPDATE measure_task mt SET document_number = ie.envelope->'data'->>'documentNumber',
             conduct_ended_on = CASE WHEN ie.type IN ('credit.penalty.imposed.v1', 'credit.judgment-debtor.listed.v1', 'credit.list-entry.added.v1', 'credit.commitment.breached.v1')
                                     THEN coalesce(ie.envelope->'data'->>'conductEndedOn', ie.envelope->'data'->>'decidedOn')::date END
      FROM decision d JOIN inbound_event ie ON ie.source = d.cause_event_source AND ie.event_id = d.cause_event_id
      WHERE d.id = mt.decision_id`);
    await queryRunner.query(`UPDATE measure_task mt SET conduct_ended_on = NULL FROM list_entry le WHERE le.id = mt.list_entry_id AND le.list_type = 'red'`);
    // The legal maximum: no shipped memorandum sets a shorter limit.
    for (const table of ['list_entry', 'measure_task']) {
      await queryRunner.query(`UPDATE ${table} SET last_usable_on = (conduct_ended_on + interval '5 years')::date WHERE conduct_ended_on IS NOT NULL`);
      await queryRunner.query(`UPDATE ${table} SET valid_to = last_usable_on WHERE last_usable_on < valid_to`);
    }
    // Decision records name their cause through the decision, refusals in their payload; earlier lifecycle records kept no cause.
    await queryRunner.query(`UPDATE feed_record SET cause_key = d.cause_event_source || '/' || d.cause_event_id FROM decision d WHERE d.id = feed_record.decision_id AND feed_record.kind = 'decision.issued'`);
    await queryRunner.query(`UPDATE feed_record SET cause_key = payload->>'causeKey' WHERE kind IN ('repair.refused', 'grant.refused')`);

    await queryRunner.query(`CREATE INDEX "ix_measure_task_decision" ON "measure_task" ("decision_id")`);
    await queryRunner.query(`CREATE INDEX "ix_measure_task_document" ON "measure_task" ("document_number")`);
    await queryRunner.query(`CREATE INDEX "ix_feed_record_cause" ON "feed_record" ("cause_key")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_feed_record_cause"`);
    await queryRunner.query(`DROP INDEX "ix_measure_task_document"`);
    await queryRunner.query(`DROP INDEX "ix_measure_task_decision"`);
    await queryRunner.query(`ALTER TABLE "feed_record" DROP COLUMN "cause_key"`);
    await queryRunner.query(`ALTER TABLE "measure_task" DROP COLUMN "document_number", DROP COLUMN "conduct_ended_on", DROP COLUMN "last_usable_on"`);
    await queryRunner.query(`ALTER TABLE "list_entry" DROP COLUMN "conduct_ended_on", DROP COLUMN "last_usable_on"`);
    await queryRunner.query(`UPDATE measure_task SET valid_to = valid_to + 1`);
    await queryRunner.query(`UPDATE list_entry SET valid_to = valid_to + 1`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Inbox, dead letters, decisions, list entries, measure tasks and the department feed. */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "inbound_event" (
        "seq" BIGSERIAL PRIMARY KEY,
        "source" text NOT NULL,
        "event_id" text NOT NULL,
        "type" text NOT NULL,
        "subject_id" text NOT NULL,
        "envelope" jsonb NOT NULL,
        "status" text NOT NULL,
        "transport" text NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "processed_at" timestamptz,
        "decision_count" integer NOT NULL DEFAULT 0,
        CONSTRAINT "uq_inbound_event_source_id" UNIQUE ("source", "event_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_inbound_event_pending" ON "inbound_event" ("seq") WHERE status = 'pending'`);

    await queryRunner.query(`
      CREATE TABLE "dead_letter" (
        "id" BIGSERIAL PRIMARY KEY,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "error_code" text NOT NULL,
        "message" text NOT NULL,
        "violations" jsonb NOT NULL DEFAULT '[]',
        "raw" text NOT NULL,
        "topic" text,
        "partition" integer,
        "kafka_offset" text
      )`);
    // A redelivered bad message is recorded once.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_dead_letter_origin" ON "dead_letter" ("topic", "partition", "kafka_offset") WHERE topic IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE "decision" (
        "id" uuid PRIMARY KEY,
        "cause_event_source" text NOT NULL,
        "cause_event_id" text NOT NULL,
        "memorandum_id" text NOT NULL,
        "memorandum_version" text NOT NULL,
        "rule_set_revision" text NOT NULL,
        "record" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "ix_decision_cause" ON "decision" ("cause_event_source", "cause_event_id")`);

    await queryRunner.query(`
      CREATE TABLE "list_entry" (
        "id" uuid PRIMARY KEY,
        "decision_id" uuid NOT NULL,
        "memorandum_id" text NOT NULL,
        "memorandum_version" text NOT NULL,
        "list_code" text NOT NULL,
        "list_type" text NOT NULL,
        "subject_kind" text NOT NULL,
        "subject_id_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "subject_name" text NOT NULL,
        "reason" text,
        "document_number" text NOT NULL,
        "identifying_department" text NOT NULL,
        "valid_from" date NOT NULL,
        "valid_to" date NOT NULL,
        "state" text NOT NULL DEFAULT 'active',
        "disputed" boolean NOT NULL DEFAULT false,
        "explanation" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "ix_list_entry_subject" ON "list_entry" ("subject_id", "state")`);

    await queryRunner.query(`
      CREATE TABLE "measure_task" (
        "id" uuid PRIMARY KEY,
        "decision_id" uuid NOT NULL,
        "list_entry_id" uuid,
        "memorandum_id" text NOT NULL,
        "measure_code" text NOT NULL,
        "category" text NOT NULL,
        "text" jsonb NOT NULL,
        "implementing_department" text NOT NULL,
        "cooperating_departments" jsonb NOT NULL DEFAULT '[]',
        "legal_basis" jsonb NOT NULL,
        "target_role" text NOT NULL,
        "target_id_type" text NOT NULL,
        "target_id" text NOT NULL,
        "target_name" text NOT NULL,
        "valid_from" date NOT NULL,
        "valid_to" date NOT NULL,
        "state" text NOT NULL DEFAULT 'active',
        "explanation" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "ix_measure_task_target" ON "measure_task" ("target_id", "state")`);
    await queryRunner.query(`CREATE INDEX "ix_measure_task_department" ON "measure_task" ("implementing_department", "state")`);

    await queryRunner.query(`
      CREATE TABLE "feed_record" (
        "seq" BIGSERIAL PRIMARY KEY,
        "record_id" uuid NOT NULL,
        "department" text NOT NULL,
        "kind" text NOT NULL,
        "decision_id" uuid NOT NULL,
        "subject_id" text NOT NULL,
        "payload" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        CONSTRAINT "UQ_feed_record_record_id" UNIQUE ("record_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_feed_record_department" ON "feed_record" ("department", "seq")`);
    await queryRunner.query(`CREATE INDEX "ix_feed_record_unpublished" ON "feed_record" ("seq") WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['feed_record', 'measure_task', 'list_entry', 'decision', 'dead_letter', 'inbound_event']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

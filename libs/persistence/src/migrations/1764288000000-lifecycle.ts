import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The life of a decision: ends (expiry, removal, repair, revocation, escalation), disputes,
 * feedback from implementing departments, due dates in working days, and the append-only
 * query audit log.
 */
export class Lifecycle1764288000000 implements MigrationInterface {
  name = 'Lifecycle1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "list_entry" ADD "ended_at" timestamptz, ADD "end_reason" text, ADD "objection_id" text`);
    await queryRunner.query(`CREATE INDEX "ix_list_entry_active_until" ON "list_entry" ("valid_to") WHERE state = 'active'`);
    await queryRunner.query(`CREATE INDEX "ix_list_entry_list" ON "list_entry" ("list_type", "state")`);
    await queryRunner.query(`ALTER TABLE "measure_task" ADD "ended_at" timestamptz, ADD "end_reason" text, ADD "disputed" boolean NOT NULL DEFAULT false, ADD "feedback_due_on" date`);
    await queryRunner.query(`CREATE INDEX "ix_measure_task_list_entry" ON "measure_task" ("list_entry_id")`);
    await queryRunner.query(`CREATE INDEX "ix_measure_task_active_until" ON "measure_task" ("valid_to") WHERE state = 'active'`);
    await queryRunner.query(`ALTER TABLE "inbound_event" ADD "outcome" jsonb`);

    await queryRunner.query(`
      CREATE TABLE "feedback" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "task_id" uuid NOT NULL,
        "department" text NOT NULL,
        "outcome" text NOT NULL,
        "reason" text,
        "business_reference" text NOT NULL,
        "applied_on" date NOT NULL,
        "operator" text,
        "acknowledged_revoked" boolean NOT NULL DEFAULT false,
        "reported_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_feedback_task_outcome" UNIQUE ("task_id", "outcome")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_feedback_department" ON "feedback" ("department", "reported_at")`);

    await queryRunner.query(`
      CREATE TABLE "query_audit" (
        "id" BIGSERIAL PRIMARY KEY,
        "at" timestamptz NOT NULL DEFAULT now(),
        "department" text NOT NULL,
        "user_id" text,
        "purpose" text,
        "approval_item" text,
        "subject_id" text,
        "endpoint" text NOT NULL,
        "result_count" integer NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`CREATE INDEX "ix_query_audit_department" ON "query_audit" ("department", "at")`);
    // Append-only: rows can be neither changed nor deleted, except by the retention purge,
    // which identifies itself with a transaction-local setting.
    await queryRunner.query(`
      CREATE FUNCTION "query_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('credit.audit_purge', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'query_audit is append-only (% refused)', TG_OP;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER "query_audit_append_only" BEFORE UPDATE OR DELETE ON "query_audit" FOR EACH ROW EXECUTE FUNCTION "query_audit_append_only"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "query_audit"`);
    await queryRunner.query(`DROP FUNCTION "query_audit_append_only"()`);
    await queryRunner.query(`DROP TABLE "feedback"`);
    await queryRunner.query(`ALTER TABLE "inbound_event" DROP COLUMN "outcome"`);
    await queryRunner.query(`DROP INDEX "ix_measure_task_active_until"`);
    await queryRunner.query(`DROP INDEX "ix_measure_task_list_entry"`);
    await queryRunner.query(`ALTER TABLE "measure_task" DROP COLUMN "ended_at", DROP COLUMN "end_reason", DROP COLUMN "disputed", DROP COLUMN "feedback_due_on"`);
    await queryRunner.query(`DROP INDEX "ix_list_entry_list"`);
    await queryRunner.query(`DROP INDEX "ix_list_entry_active_until"`);
    await queryRunner.query(`ALTER TABLE "list_entry" DROP COLUMN "ended_at", DROP COLUMN "end_reason", DROP COLUMN "objection_id"`);
  }
}

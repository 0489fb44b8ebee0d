import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit classes (信用分类): one current row per subject and model, updated in the transaction
 * of whatever changed the subject's standing, and the history of every class given (append-only
 * for the app role), each with its explanation: the facts, the rule and the model's revision.
 */
export class CreditClasses1765700000000 implements MigrationInterface {
  name = 'CreditClasses1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "credit_class" (
        "model_id" text NOT NULL,
        "subject_id_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "subject_kind" text NOT NULL,
        "class" text NOT NULL,
        "basis" text NOT NULL,
        "model_version" text NOT NULL,
        "model_revision" text NOT NULL,
        "explanation" jsonb NOT NULL,
        "as_of" date NOT NULL,
        "cause_key" text NOT NULL,
        "changed_at" timestamptz NOT NULL,
        "computed_at" timestamptz NOT NULL,
        CONSTRAINT "pk_credit_class" PRIMARY KEY ("model_id", "subject_id_type", "subject_id")
      )`);
    // The credit check reads a subject's classes under every model.
    await queryRunner.query(`CREATE INDEX "ix_credit_class_subject" ON "credit_class" ("subject_id", "subject_id_type")`);
    await queryRunner.query(`
      CREATE TABLE "credit_class_history" (
        "id" bigserial PRIMARY KEY,
        "model_id" text NOT NULL,
        "subject_id_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "previous_class" text,
        "class" text NOT NULL,
        "basis" text NOT NULL,
        "model_version" text NOT NULL,
        "model_revision" text NOT NULL,
        "explanation" jsonb NOT NULL,
        "cause_key" text NOT NULL,
        "at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "ix_credit_class_history_subject" ON "credit_class_history" ("subject_id", "model_id", "id")`);
    // What CreditClassRepository does (APP_TABLE_PRIVILEGES): the history only grows.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "credit_class" TO credit_engine_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "credit_class_history" TO credit_engine_app`);
    await queryRunner.query(`DO $$ BEGIN EXECUTE format('GRANT USAGE ON SEQUENCE %s TO credit_engine_app', pg_get_serial_sequence('credit_class_history', 'id')); END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "credit_class_history"`);
    await queryRunner.query(`DROP TABLE "credit_class"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coordination cases (工作协调会, issue 16): a major dishonesty event that met a criterion of
 * COORDINATION_FILE opens one, in the transaction that decided the event, naming the departments
 * concerned, its agenda, the meeting and the due date; each department acknowledges it once.
 */
export class CoordinationCase1765920000001 implements MigrationInterface {
  name = 'CoordinationCase1765920000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "coordination_case" (
        "id" uuid PRIMARY KEY,
        "criterion" text NOT NULL,
        "cause_key" text NOT NULL,
        "subject_kind" text NOT NULL,
        "subject_id" text NOT NULL,
        "decision_ids" uuid[] NOT NULL,
        "departments" text[] NOT NULL,
        "agenda" jsonb NOT NULL,
        "facts" jsonb NOT NULL,
        "meeting_on" date NOT NULL,
        "due_on" date NOT NULL,
        "status" text NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'closed')),
        "opened_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_coordination_case_cause" UNIQUE ("criterion", "cause_key")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_coordination_case_departments" ON "coordination_case" USING gin ("departments")`);
    await queryRunner.query(`
      CREATE TABLE "coordination_acknowledgement" (
        "case_id" uuid NOT NULL REFERENCES "coordination_case" ("id"),
        "department" text NOT NULL,
        "acknowledged_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("case_id", "department")
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "coordination_case", "coordination_acknowledgement" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "coordination_acknowledgement"`);
    await queryRunner.query(`DROP TABLE "coordination_case"`);
  }
}

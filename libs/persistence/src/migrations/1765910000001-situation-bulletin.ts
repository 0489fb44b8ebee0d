import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Situation bulletins (情况通报, issue 16): one per month or quarter, issued by the schedule or by
 * the credit office, numbered in a yearly series; the figures it was built from are kept whole, so
 * the HTML, PDF and CSV drawn from it later say what was issued.
 */
export class SituationBulletin1765910000001 implements MigrationInterface {
  name = 'SituationBulletin1765910000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "situation_bulletin" (
        "id" uuid PRIMARY KEY,
        "number" text NOT NULL UNIQUE,
        "period_kind" text NOT NULL CHECK ("period_kind" IN ('month', 'quarter')),
        "period_from" date NOT NULL,
        "period_to" date NOT NULL,
        "issued_by" text NOT NULL,
        "issued_at" timestamptz NOT NULL DEFAULT now(),
        "content" jsonb NOT NULL,
        CONSTRAINT "uq_situation_bulletin_period" UNIQUE ("period_kind", "period_from"),
        CONSTRAINT "ck_situation_bulletin_period" CHECK ("period_from" <= "period_to")
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "situation_bulletin" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "situation_bulletin"`);
  }
}

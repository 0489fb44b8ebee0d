import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spot-check samples (双随机抽查) of differentiated supervision: one per department, credit class
 * model and period, with the server's seed, the population it was drawn from (and its digest),
 * the strata and the drawn subjects, so that anyone can redo the draw and see it was fair.
 * Append-only for the app role: a sample is never changed or redrawn.
 */
export class SupervisionSamples1765800000001 implements MigrationInterface {
  name = 'SupervisionSamples1765800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "supervision_sample" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "department" text NOT NULL,
        "model_id" text NOT NULL,
        "model_version" text NOT NULL,
        "model_revision" text NOT NULL,
        "period" text NOT NULL,
        "frequency" text NOT NULL,
        "method" text NOT NULL,
        "seed" text NOT NULL,
        "population_digest" text NOT NULL,
        "population" jsonb NOT NULL,
        "population_sources" jsonb NOT NULL,
        "strata" jsonb NOT NULL,
        "drawn" jsonb NOT NULL,
        "drawn_by" text,
        "drawn_at" timestamptz NOT NULL,
        CONSTRAINT "uq_supervision_sample_period" UNIQUE ("department", "model_id", "period"),
        CONSTRAINT "ck_supervision_sample_seed" CHECK ("seed" ~ '^[0-9a-f]{64}$')
      )`);
    // A department lists its samples by period.
    await queryRunner.query(`CREATE INDEX "ix_supervision_sample_department_period" ON "supervision_sample" ("department", "period", "drawn_at")`);
    // What SupervisionSampleRepository does (APP_TABLE_PRIVILEGES): a sample is written once.
    await queryRunner.query(`GRANT SELECT, INSERT ON "supervision_sample" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "supervision_sample"`);
  }
}

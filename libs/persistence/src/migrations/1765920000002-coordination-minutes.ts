import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A coordination case is closed by its meeting's minutes (会议纪要): when it was held, who attended,
 * what was agreed, and the joint documents (联合发文) issued for it with their numbers. Written once.
 */
export class CoordinationMinutes1765920000002 implements MigrationInterface {
  name = 'CoordinationMinutes1765920000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "coordination_case" ADD COLUMN "minutes" jsonb, ADD COLUMN "closed_at" timestamptz, ADD COLUMN "closed_by" text`);
    await queryRunner.query(`ALTER TABLE "coordination_case" ADD CONSTRAINT "ck_coordination_case_closed" CHECK (("status" = 'closed') = ("minutes" IS NOT NULL AND "closed_at" IS NOT NULL AND "closed_by" IS NOT NULL))`);
    await queryRunner.query(`GRANT UPDATE ON "coordination_case" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "coordination_case" DROP CONSTRAINT "ck_coordination_case_closed", DROP COLUMN "minutes", DROP COLUMN "closed_at", DROP COLUMN "closed_by"`);
  }
}

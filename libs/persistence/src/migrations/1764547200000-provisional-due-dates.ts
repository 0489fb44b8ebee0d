import { MigrationInterface, QueryRunner } from 'typeorm';

/** A feedback due date counted past the working-day calendar's coverage, or over days awaiting a holiday notice, is marked provisional. */
export class ProvisionalDueDates1764547200000 implements MigrationInterface {
  name = 'ProvisionalDueDates1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "measure_task" ADD "feedback_due_provisional" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "measure_task" DROP COLUMN "feedback_due_provisional"`);
  }
}

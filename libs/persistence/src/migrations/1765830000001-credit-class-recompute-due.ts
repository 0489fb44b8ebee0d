import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A class can change with no event: an entry or task coming into force or leaving it, a
 * sanction's publicity or a broken commitment's five-year limit running out. Each class row
 * keeps the first such day of its subject (recompute_due_on); the lifecycle tick recomputes the
 * subjects due, found by this partial index. Rows from before have no date: due at once, so the
 * first sweeps recompute them and store their dates.
 */
export class CreditClassRecomputeDue1765830000001 implements MigrationInterface {
  name = 'CreditClassRecomputeDue1765830000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credit_class" ADD "recompute_due_on" date`);
    await queryRunner.query(`UPDATE "credit_class" SET "recompute_due_on" = (now() AT TIME ZONE 'Asia/Shanghai')::date`);
    await queryRunner.query(`CREATE INDEX "ix_credit_class_recompute_due" ON "credit_class" ("recompute_due_on") WHERE recompute_due_on IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_credit_class_recompute_due"`);
    await queryRunner.query(`ALTER TABLE "credit_class" DROP COLUMN "recompute_due_on"`);
  }
}

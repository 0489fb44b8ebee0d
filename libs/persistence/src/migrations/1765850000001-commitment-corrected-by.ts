import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who corrected an automatic breach (the caller's X-User-Id, if it sent one): a correction takes
 * a published breach back, so it names its operator as the query audit does. Null for a
 * correction without the header and for those made before this column.
 */
export class CommitmentCorrectedBy1765850000001 implements MigrationInterface {
  name = 'CommitmentCorrectedBy1765850000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "credit_commitment"
        ADD COLUMN "corrected_by" text,
        ADD CONSTRAINT "ck_credit_commitment_corrected_by" CHECK ("corrected_by" IS NULL OR "corrected_at" IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credit_commitment" DROP CONSTRAINT "ck_credit_commitment_corrected_by", DROP COLUMN "corrected_by"`);
  }
}

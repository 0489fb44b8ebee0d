import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision is stored once: its decision.issued records are no longer kept per addressee in
 * feed_record.payload but rendered from the decision when read or relayed, so the decision
 * keeps what they carry besides its record (the issue instant and its memorandum's heading).
 * Rows written before keep their payloads and are served as stored; only rows without one are
 * rendered, and only decision.issued may be without one. No new table: the app role's grants
 * on decision and feed_record cover the new columns.
 */
export class IssuedRecordsRendered1765324800000 implements MigrationInterface {
  name = 'IssuedRecordsRendered1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision" ADD COLUMN "issued_at" timestamptz, ADD COLUMN "memorandum" jsonb`);
    await queryRunner.query(`ALTER TABLE "feed_record" ALTER COLUMN "payload" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "feed_record" ADD CONSTRAINT "ck_feed_record_payload" CHECK (payload IS NOT NULL OR kind = 'decision.issued')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Rendered records cannot be rebuilt in SQL: going back fails on the NOT NULL while any exist.
    await queryRunner.query(`ALTER TABLE "feed_record" DROP CONSTRAINT "ck_feed_record_payload"`);
    await queryRunner.query(`ALTER TABLE "feed_record" ALTER COLUMN "payload" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "memorandum", DROP COLUMN "issued_at"`);
  }
}

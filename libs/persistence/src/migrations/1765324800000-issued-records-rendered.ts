import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision is stored once: its decision.issued records are no longer kept per addressee in
 * feed_record.payload but rendered from the decision when read or relayed, so the decision
 * keeps what they carry besides its record (the issue instant and its memorandum's heading).
 * A lifecycle change is stored once per decision (lifecycle_change: the entries and tasks as
 * the change left them) and its records rendered from it. Rows written before keep their
 * payloads and are served as stored; only rows without one are rendered, and only those two
 * families may be without one. The app role may read and add changes, never alter them.
 */
export class IssuedRecordsRendered1765324800000 implements MigrationInterface {
  name = 'IssuedRecordsRendered1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision" ADD COLUMN "issued_at" timestamptz, ADD COLUMN "memorandum" jsonb`);
    await queryRunner.query(`
      CREATE TABLE "lifecycle_change" (
        "id" uuid PRIMARY KEY,
        "decision_id" uuid NOT NULL,
        "fact" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "ix_lifecycle_change_decision" ON "lifecycle_change" ("decision_id")`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "lifecycle_change" TO credit_engine_app`);
    await queryRunner.query(`ALTER TABLE "feed_record" ADD COLUMN "lifecycle_change_id" uuid`);
    await queryRunner.query(`ALTER TABLE "feed_record" ALTER COLUMN "payload" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "feed_record" ADD CONSTRAINT "ck_feed_record_payload" CHECK (payload IS NOT NULL OR kind = 'decision.issued' OR lifecycle_change_id IS NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Rendered records cannot be rebuilt in SQL: going back fails on the NOT NULL while any exist.
    await queryRunner.query(`ALTER TABLE "feed_record" DROP CONSTRAINT "ck_feed_record_payload"`);
    await queryRunner.query(`ALTER TABLE "feed_record" ALTER COLUMN "payload" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "feed_record" DROP COLUMN "lifecycle_change_id"`);
    await queryRunner.query(`DROP TABLE "lifecycle_change"`);
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "memorandum", DROP COLUMN "issued_at"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit commitments the engine settles after they close, and corrections of automatic breaches.
 * `settled_at`: when the engine took a kept commitment into account (its subject's class
 * recomputed; for a correction, the breach decision withdrawn), so a kept report reaches the class
 * as a breach does, at the next lifecycle tick. A corrected commitment is kept and keeps its
 * overdue breach as history (`breach_kind`, `breach_reason`, `breach_event_id`) with the reason of
 * the correction; `withdrawal_event_id` names the removal event that withdrew the breach decision.
 * Kept commitments recorded before this have never been settled: the next ticks recompute them.
 */
export class CommitmentCorrections1765820000001 implements MigrationInterface {
  name = 'CommitmentCorrections1765820000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "credit_commitment"
        ADD COLUMN "settled_at" timestamptz,
        ADD COLUMN "corrected_at" timestamptz,
        ADD COLUMN "correction_reason" text,
        ADD COLUMN "withdrawal_event_id" text,
        DROP CONSTRAINT "ck_credit_commitment_breach",
        DROP CONSTRAINT "ck_credit_commitment_announced"`);
    await queryRunner.query(`
      ALTER TABLE "credit_commitment"
        ADD CONSTRAINT "ck_credit_commitment_breach" CHECK (
          ("breach_kind" IS NULL OR "breach_kind" IN ('reported', 'overdue'))
          AND CASE "state" WHEN 'breached' THEN "breach_kind" IS NOT NULL AND "corrected_at" IS NULL
                           WHEN 'kept' THEN ("corrected_at" IS NULL) = ("breach_kind" IS NULL) AND ("corrected_at" IS NULL OR "breach_kind" = 'overdue')
                           ELSE "breach_kind" IS NULL AND "corrected_at" IS NULL END),
        ADD CONSTRAINT "ck_credit_commitment_announced" CHECK ("breach_event_id" IS NULL OR "state" = 'breached' OR "corrected_at" IS NOT NULL),
        ADD CONSTRAINT "ck_credit_commitment_correction" CHECK (("corrected_at" IS NULL) = ("correction_reason" IS NULL) AND ("withdrawal_event_id" IS NULL OR "corrected_at" IS NOT NULL))`);
    // The scheduler's third sweep: kept commitments (corrections among them) the engine has not settled.
    await queryRunner.query(`CREATE INDEX "ix_credit_commitment_unsettled" ON "credit_commitment" ("closed_at") WHERE "state" = 'kept' AND "settled_at" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_credit_commitment_unsettled"`);
    // A corrected commitment has no shape in the old table: it goes back to its overdue breach.
    await queryRunner.query(`
      UPDATE "credit_commitment" SET "state" = 'breached', "closed_on" = "due_on" + 1, "evidence_reference" = NULL,
        "corrected_at" = NULL, "correction_reason" = NULL, "withdrawal_event_id" = NULL, "settled_at" = NULL
      WHERE "corrected_at" IS NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE "credit_commitment"
        DROP CONSTRAINT "ck_credit_commitment_correction",
        DROP CONSTRAINT "ck_credit_commitment_announced",
        DROP CONSTRAINT "ck_credit_commitment_breach",
        DROP COLUMN "withdrawal_event_id",
        DROP COLUMN "correction_reason",
        DROP COLUMN "corrected_at",
        DROP COLUMN "settled_at"`);
    await queryRunner.query(`
      ALTER TABLE "credit_commitment"
        ADD CONSTRAINT "ck_credit_commitment_breach" CHECK (("state" = 'breached') = ("breach_kind" IS NOT NULL) AND "breach_kind" IN ('reported', 'overdue')),
        ADD CONSTRAINT "ck_credit_commitment_announced" CHECK ("breach_event_id" IS NULL OR "state" = 'breached')`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit commitments (信用承诺, 告知承诺) recorded by approval systems: who promised what for
 * which approval item, by when, and how the commitment ended (kept, or broken: reported by the
 * department or past its promised date). A breach is announced to the engine exactly once:
 * `breach_event_id` is set in the transaction that records its event in the intake.
 */
export class CreditCommitments1765700100000 implements MigrationInterface {
  name = 'CreditCommitments1765700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "credit_commitment" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "department" text NOT NULL,
        "reference" text NOT NULL,
        "content_hash" text NOT NULL,
        "subject_kind" text NOT NULL,
        "subject_id_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "subject_name" text NOT NULL,
        "approval_item_code" text NOT NULL,
        "approval_item_name" text NOT NULL,
        "promise" text NOT NULL,
        "due_on" date NOT NULL,
        "approval_reference" text NOT NULL,
        "approval_granted_on" date NOT NULL,
        "state" text NOT NULL DEFAULT 'open',
        "closed_on" date,
        "closed_at" timestamptz,
        "evidence_reference" text,
        "breach_kind" text,
        "breach_reason" text,
        "breach_event_id" text,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "uq_credit_commitment_reference" UNIQUE ("department", "reference"),
        CONSTRAINT "ck_credit_commitment_state" CHECK ("state" IN ('open', 'kept', 'breached')),
        CONSTRAINT "ck_credit_commitment_closed" CHECK (("state" = 'open') = ("closed_on" IS NULL)),
        CONSTRAINT "ck_credit_commitment_breach" CHECK (("state" = 'breached') = ("breach_kind" IS NOT NULL) AND "breach_kind" IN ('reported', 'overdue')),
        CONSTRAINT "ck_credit_commitment_announced" CHECK ("breach_event_id" IS NULL OR "state" = 'breached')
      )`);
    await queryRunner.query(`CREATE INDEX "ix_credit_commitment_subject" ON "credit_commitment" ("subject_id_type", "subject_id")`);
    // The scheduler's two sweeps: open ones past their date, breaches not yet announced.
    await queryRunner.query(`CREATE INDEX "ix_credit_commitment_open_due" ON "credit_commitment" ("due_on") WHERE "state" = 'open'`);
    await queryRunner.query(`CREATE INDEX "ix_credit_commitment_unannounced" ON "credit_commitment" ("closed_at") WHERE "state" = 'breached' AND "breach_event_id" IS NULL`);
    // What CommitmentRepository does (APP_TABLE_PRIVILEGES): UPDATE closes a commitment.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "credit_commitment" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "credit_commitment"`);
  }
}

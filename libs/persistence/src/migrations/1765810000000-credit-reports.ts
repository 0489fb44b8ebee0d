import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit reports (信用报告): each issued report kept as issued, the typed model it was rendered
 * from and the rendered PDF and HTML bytes with their SHA-256, so that the document a department
 * downloads later, and the hashes a third party verifies, are the ones issued, whatever the
 * renderer or the font package become. The verification code is kept only as a scrypt hash.
 * Numbers come from their own sequence (XYBG-<China date>-<sequence>): a failed issue leaves a gap.
 */
export class CreditReports1765810000000 implements MigrationInterface {
  name = 'CreditReports1765810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "credit_report_number_seq" AS bigint START 1`);
    await queryRunner.query(`
      CREATE TABLE "credit_report" (
        "number" text PRIMARY KEY,
        "issued_at" timestamptz NOT NULL,
        "as_of" date NOT NULL,
        "department" text NOT NULL,
        "user_id" text,
        "purpose" text NOT NULL,
        "use" text NOT NULL,
        "subject_id_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "subject_kind" text,
        "subject_name" text,
        "code_hash" text NOT NULL,
        "model" jsonb NOT NULL,
        "pdf" bytea NOT NULL,
        "html" bytea NOT NULL,
        "pdf_sha256" text NOT NULL,
        "html_sha256" text NOT NULL,
        "audit_id" bigint NOT NULL,
        CONSTRAINT "ck_credit_report_number" CHECK ("number" ~ '^XYBG-[0-9]{8}-[0-9]{6,}$'),
        CONSTRAINT "ck_credit_report_hashes" CHECK ("pdf_sha256" ~ '^[0-9a-f]{64}$' AND "html_sha256" ~ '^[0-9a-f]{64}$')
      )`);
    await queryRunner.query(`CREATE INDEX "ix_credit_report_subject" ON "credit_report" ("subject_id_type", "subject_id")`);
    // The burst limit counts one user's reports on natural persons in the last minute.
    await queryRunner.query(`CREATE INDEX "ix_credit_report_person_burst" ON "credit_report" ("department", "user_id", "issued_at") WHERE "subject_id_type" = 'RESIDENT_ID'`);
    // A report reads the subject's objections and repairs from their events (LifecycleRepository.objectionsAndRepairs) without a scan.
    await queryRunner.query(
      `CREATE INDEX "ix_inbound_event_objection_repair" ON "inbound_event" ("subject_id") WHERE type IN ('credit.objection.filed.v1', 'credit.objection.resolved.v1', 'credit.repair.approved.v1')`,
    );
    // What CreditReportRepository does (APP_TABLE_PRIVILEGES): a report is never changed once issued.
    await queryRunner.query(`GRANT SELECT, INSERT ON "credit_report" TO credit_engine_app`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE "credit_report_number_seq" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_inbound_event_objection_repair"`);
    await queryRunner.query(`DROP TABLE "credit_report"`);
    await queryRunner.query(`DROP SEQUENCE "credit_report_number_seq"`);
  }
}

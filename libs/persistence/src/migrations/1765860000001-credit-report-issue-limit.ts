import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A department's credit reports of the last minute (REPORT_ISSUES_PER_MINUTE) are counted by
 * department and issue time, whatever the subject. The natural persons' burst is now counted over
 * query_audit with checks and reviews, so the partial index it used goes.
 */
export class CreditReportIssueLimit1765860000001 implements MigrationInterface {
  name = 'CreditReportIssueLimit1765860000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_credit_report_department_issued" ON "credit_report" ("department", "issued_at")`);
    await queryRunner.query(`DROP INDEX "ix_credit_report_person_burst"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_credit_report_person_burst" ON "credit_report" ("department", "user_id", "issued_at") WHERE "subject_id_type" = 'RESIDENT_ID'`);
    await queryRunner.query(`DROP INDEX "ix_credit_report_department_issued"`);
  }
}

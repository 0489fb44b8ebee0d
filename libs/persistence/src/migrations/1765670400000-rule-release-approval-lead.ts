import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The approval lead held by the database, on the database's clock, whoever writes the row: an
 * approval records the least lead its server demanded (RELEASE_MIN_LEAD_MS, a setting) in
 * approval_lead_ms, and effective_at must be at least that long after approved_at (now() of the
 * database). A floor no setting goes below keeps any writer from approving a release to take
 * effect at once or in the past (1 s: RELEASE_LEAD_FLOOR_MS, written out here as a migration is never edited). Releases approved before this were checked on the approving
 * server's clock only: their lead is recorded as it was, and the two lead CHECKs are NOT VALID
 * for them (history is not rewritten); every row written from now on is checked.
 */
export class RuleReleaseApprovalLead1765670400000 implements MigrationInterface {
  name = 'RuleReleaseApprovalLead1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rule_release" ADD COLUMN "approval_lead_ms" integer`);
    await queryRunner.query(`UPDATE "rule_release" SET "approval_lead_ms" = LEAST(floor(extract(epoch FROM "effective_at" - "approved_at") * 1000), 2147483647) WHERE "approver" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "rule_release" ADD CONSTRAINT "ck_rule_release_lead_recorded" CHECK (("approver" IS NULL) = ("approval_lead_ms" IS NULL))`);
    await queryRunner.query(`ALTER TABLE "rule_release" ADD CONSTRAINT "ck_rule_release_lead_floor" CHECK ("approval_lead_ms" >= 1000) NOT VALID`);
    await queryRunner.query(`ALTER TABLE "rule_release" ADD CONSTRAINT "ck_rule_release_lead" CHECK ("effective_at" >= "approved_at" + "approval_lead_ms" * interval '1 millisecond') NOT VALID`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rule_release" DROP COLUMN "approval_lead_ms"`);
  }
}

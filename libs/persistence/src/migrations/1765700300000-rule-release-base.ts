import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change draft (the console's) records the revision of the rule set it was made from, so that
 * its approval can refuse to put it in force after another release it would undo: the draft's
 * copy of its memorandum file predates that release's change to it. Null: a whole rule set
 * (rules:import, drafts from rules/, rollbacks), which is approved as it stands.
 */
export class RuleReleaseBase1765700300000 implements MigrationInterface {
  name = 'RuleReleaseBase1765700300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rule_release" ADD COLUMN "base_revision" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rule_release" DROP COLUMN "base_revision"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rule-set releases: versioned, content-hashed copies of the rule files with their author,
 * approver (four eyes: never the author, also enforced here) and the instant they take effect.
 * Each decision names the release it was made under (null: decided from the rules/ files).
 */
export class RuleReleases1765584000000 implements MigrationInterface {
  name = 'RuleReleases1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "rule_release" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "version" integer NOT NULL,
        "revision" text NOT NULL,
        "content" jsonb NOT NULL,
        "author" text NOT NULL,
        "approver" text,
        "notes" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "approved_at" timestamptz,
        "effective_at" timestamptz,
        "rolled_back_from" integer,
        CONSTRAINT "uq_rule_release_version" UNIQUE ("version"),
        CONSTRAINT "ck_rule_release_version" CHECK ("version" > 0),
        CONSTRAINT "ck_rule_release_four_eyes" CHECK ("approver" IS NULL OR "approver" <> "author"),
        CONSTRAINT "ck_rule_release_approval" CHECK (("approver" IS NULL) = ("approved_at" IS NULL) AND ("approver" IS NULL) = ("effective_at" IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX "ix_rule_release_effective" ON "rule_release" ("effective_at") WHERE approver IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "decision" ADD COLUMN "rule_release" integer`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "rule_release" TO credit_engine_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "rule_release"`);
    await queryRunner.query(`DROP TABLE "rule_release"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy console's people (not departments' systems): users with roles and scrypt password
 * hashes, server-side sessions (only the SHA-256 of the cookie's token is stored, so a copy of
 * the table signs nobody in), and the audit of every console action (sign-in, sign-out, each
 * page read; later each edit and approval). The audit is append-only for the app role.
 */
export class ConsoleUsers1765584000044 implements MigrationInterface {
  name = 'ConsoleUsers1765584000044';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "console_user" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "roles" text[] NOT NULL,
        "password_hash" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "disabled_at" timestamptz,
        CONSTRAINT "uq_console_user_name" UNIQUE ("name"),
        CONSTRAINT "ck_console_user_roles" CHECK (cardinality("roles") > 0 AND "roles" <@ ARRAY['policy-editor','policy-approver','credit-office','auditor']::text[])
      )`);
    await queryRunner.query(`
      CREATE TABLE "console_session" (
        "token_sha256" bytea PRIMARY KEY,
        "user_id" uuid NOT NULL REFERENCES "console_user" ("id"),
        "csrf_token" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "ended_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "ix_console_session_user" ON "console_session" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "console_audit" (
        "id" bigserial PRIMARY KEY,
        "at" timestamptz NOT NULL DEFAULT now(),
        "user_name" text NOT NULL,
        "action" text NOT NULL,
        "target" text,
        "outcome" text NOT NULL,
        "address" text
      )`);
    await queryRunner.query(`CREATE INDEX "ix_console_audit_user" ON "console_audit" ("user_name", "at")`);
    // What the console's repositories do (APP_TABLE_PRIVILEGES): the audit only grows.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "console_user", "console_session" TO credit_engine_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "console_audit" TO credit_engine_app`);
    await queryRunner.query(`DO $$ BEGIN EXECUTE format('GRANT USAGE ON SEQUENCE %s TO credit_engine_app', pg_get_serial_sequence('console_audit', 'id')); END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "console_audit"`);
    await queryRunner.query(`DROP TABLE "console_session"`);
    await queryRunner.query(`DROP TABLE "console_user"`);
  }
}

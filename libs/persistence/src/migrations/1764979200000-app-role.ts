import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The apps' least-privilege role: it logs in, reads and writes what the repositories need, and
 * nothing else — no DDL, no TRUNCATE, no ownership, and on query_audit INSERT and SELECT only.
 * The migrating role (the owner) keeps the tables. Roles are cluster-wide, so the role is
 * created only when missing (several databases on one server share it) and the grants are
 * made per database. No password is set here: the operator sets it (README, "Database roles
 * and the audit log"). The name is fixed; `APP_ROLE` in app-role.ts says so to the code.
 */
export class AppRole1764979200000 implements MigrationInterface {
  name = 'AppRole1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credit_engine_app') THEN
          IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'the role credit_engine_app does not exist and % may not create it', current_user
              USING ERRCODE = 'insufficient_privilege',
                    HINT = 'a role with CREATEROLE runs: CREATE ROLE credit_engine_app LOGIN; then migrate again';
          END IF;
          BEGIN
            CREATE ROLE credit_engine_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database on this server created it at the same moment
          END;
        END IF;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO credit_engine_app', current_database());
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO credit_engine_app', current_schema());
        -- PostgreSQL < 15 lets PUBLIC create in the public schema; the apps must not (no DDL).
        -- Only the schema's owner can take that away; otherwise production mode refuses to start.
        IF has_schema_privilege('credit_engine_app', current_schema(), 'CREATE')
           AND pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'USAGE') THEN
          EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
        END IF;
      END $$`);
    // What each repository does to each table (see APP_TABLE_PRIVILEGES): nothing more.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "inbound_event" TO credit_engine_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "dead_letter", "decision", "feedback", "query_audit" TO credit_engine_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "list_entry", "measure_task", "feed_record" TO credit_engine_app`);
    // In production the apps only check that the schema is current.
    await queryRunner.query(`GRANT SELECT ON "migrations" TO credit_engine_app`);
    await queryRunner.query(`
      DO $$
      DECLARE
        sequence_name text;
      BEGIN
        FOREACH sequence_name IN ARRAY ARRAY[pg_get_serial_sequence('inbound_event', 'seq'), pg_get_serial_sequence('dead_letter', 'id'), pg_get_serial_sequence('feed_record', 'seq')] LOOP
          EXECUTE format('GRANT USAGE ON SEQUENCE %s TO credit_engine_app', sequence_name);
        END LOOP;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The role stays: other databases on the server may use it. Only this database's grants go.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credit_engine_app') THEN
          EXECUTE 'REVOKE ALL ON "inbound_event", "dead_letter", "decision", "feedback", "query_audit", "list_entry", "measure_task", "feed_record", "migrations" FROM credit_engine_app';
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM credit_engine_app', current_schema());
          EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM credit_engine_app', current_schema());
          EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM credit_engine_app', current_database());
        END IF;
      END $$`);
  }
}

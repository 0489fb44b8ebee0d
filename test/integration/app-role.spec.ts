import { DataSource } from 'typeorm';
import { APP_ROLE, APP_TABLE_PRIVILEGES, ConnectionRoleRepository, dataSourceOptions, MIGRATIONS, migrationState } from '@app/persistence';
import { appRoleUrl, openTestDatabase, ownTestDatabaseUrl } from '../support/database';

// The role the apps run as in production, as the catalog sees it after the migrations.
describe('the app role (real PostgreSQL)', () => {
  let ownerUrl: string;
  let owner: DataSource;
  let app: DataSource;

  beforeAll(async () => {
    ownerUrl = await ownTestDatabaseUrl('app_role');
    owner = await openTestDatabase(ownerUrl);
    app = await new DataSource(dataSourceOptions(await appRoleUrl(ownerUrl), { extra: { max: 1 } })).initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
  });

  it('has on every table of the schema exactly the privileges the repositories need, and no table is left out', async () => {
    const rows = (await owner.query(
      `SELECT c.relname AS "table", ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
                                          WHERE has_table_privilege($1, c.oid, p)) AS privileges
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
      [APP_ROLE],
    )) as { table: string; privileges: string[] }[];
    expect(Object.fromEntries(rows.map((r) => [r.table, r.privileges]))).toEqual(APP_TABLE_PRIVILEGES);
  });

  it('is no superuser, owns nothing, cannot CREATE in the schema and may not change query_audit', async () => {
    expect(await new ConnectionRoleRepository(app).describe()).toEqual({
      name: APP_ROLE,
      schema: 'public',
      superuser: false,
      createsRolesOrDatabases: false,
      createsInSchema: false,
      ownedTables: [],
      auditRights: [],
    });
    // The owner as the apps would see it if they ran as it.
    expect(await new ConnectionRoleRepository(owner).describe()).toMatchObject({ name: 'postgres', superuser: true, auditRights: ['UPDATE', 'DELETE', 'TRUNCATE'] });
  });

  it('may run the purge function and use the sequences of the tables it inserts into, and nothing else', async () => {
    const functions = (await owner.query(
      `SELECT p.proname AS name FROM pg_proc p
       WHERE p.pronamespace = current_schema()::regnamespace AND has_function_privilege($1, p.oid, 'EXECUTE')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') -- extensions' own
       ORDER BY 1`,
      [APP_ROLE],
    )) as { name: string }[];
    expect(functions.map((f) => f.name)).toEqual(['purge_query_audit']);
    const sequences = (await owner.query(
      `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'
         AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'USAGE') END -- evaluated on sequences only
       ORDER BY 1`,
      [APP_ROLE],
    )) as { name: string }[];
    expect(sequences.map((s) => s.name)).toEqual(['console_audit_id_seq', 'credit_class_history_id_seq', 'credit_report_number_seq', 'dead_letter_id_seq', 'exchange_outbox_seq_seq', 'feed_record_seq_seq', 'inbound_event_seq_seq']);
  });

  it('reads whether the schema is current without running DDL', async () => {
    expect(await migrationState(app)).toEqual({ readable: true, pending: [] });
    const fresh = await new DataSource(dataSourceOptions(await appRoleUrl(await ownTestDatabaseUrl('app_role_fresh')), { extra: { max: 1 } })).initialize();
    try {
      const state = await migrationState(fresh);
      const pending = state.readable ? state.pending : [];
      expect(pending).toEqual(MIGRATIONS.map((migration) => new migration().name));
      expect(pending).toEqual(expect.arrayContaining(['InitialSchema1764201600000', 'AppRole1764979200000', 'QueryAuditChain1764979200001']));
    } finally {
      await fresh.destroy();
    }
  });

  it('names a role that owns a table or may create in the schema', async () => {
    // A role of this database's own, dropped again: roles are shared by every database on the server.
    const probe = `${new URL(ownerUrl).pathname.slice(1)}_probe`.slice(0, 63);
    await owner.query(`DROP TABLE IF EXISTS probe_owned; DROP ROLE IF EXISTS ${probe}`);
    await owner.query(`CREATE ROLE ${probe} NOLOGIN`);
    try {
      await owner.query(`CREATE TABLE probe_owned (id int); ALTER TABLE probe_owned OWNER TO ${probe}; GRANT CREATE ON SCHEMA public TO ${probe}`);
      const single = await new DataSource(dataSourceOptions(ownerUrl, { extra: { max: 1 } })).initialize();
      try {
        await single.query(`SET ROLE ${probe}`);
        expect(await new ConnectionRoleRepository(single).describe()).toMatchObject({ name: probe, superuser: false, createsInSchema: true, ownedTables: ['probe_owned'], auditRights: [] });
        expect(await migrationState(single)).toEqual({ readable: false, table: '"migrations"' });
      } finally {
        await single.destroy();
      }
    } finally {
      await owner.query(`DROP TABLE IF EXISTS probe_owned; REVOKE CREATE ON SCHEMA public FROM ${probe}; DROP ROLE ${probe}`);
    }
  });
});

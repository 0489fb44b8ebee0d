import { productionDatabaseProblems } from './production-database';
import type { ConnectionRole } from './repositories/connection-role.repository';
import type { MigrationState } from './production-database';

describe('productionDatabaseProblems', () => {
  const current = { readable: true, pending: [] } as const satisfies MigrationState;
  const appRole: ConnectionRole = { name: 'credit_engine_app', schema: 'public', superuser: false, createsRolesOrDatabases: false, createsInSchema: false, ownedTables: [], auditRights: [] };

  it('accepts the least-privilege role on a current schema', () => {
    expect(productionDatabaseProblems(appRole, current)).toEqual([]);
  });

  it('names each right the role must not have, once', () => {
    expect(productionDatabaseProblems({ ...appRole, name: 'postgres', superuser: true, createsInSchema: true, ownedTables: ['query_audit'], auditRights: ['UPDATE'] }, current)).toEqual([
      expect.stringMatching(/^DATABASE_URL connects as "postgres", a superuser: .*connect as credit_engine_app/),
    ]);
    expect(productionDatabaseProblems({ ...appRole, name: 'owner', ownedTables: ['feedback', 'query_audit'], auditRights: ['UPDATE', 'DELETE', 'TRUNCATE'] }, current)).toEqual([
      expect.stringMatching(/"owner", which owns feedback, query_audit: it could alter, empty or drop them/),
    ]);
    expect(productionDatabaseProblems({ ...appRole, createsInSchema: true }, current)).toEqual([expect.stringMatching(/may CREATE in schema public \(DDL\)/)]);
    expect(productionDatabaseProblems({ ...appRole, auditRights: ['DELETE'] }, current)).toEqual([expect.stringMatching(/may DELETE query_audit/)]);
    expect(productionDatabaseProblems({ ...appRole, createsRolesOrDatabases: true }, current)).toEqual([expect.stringMatching(/may create roles or databases/)]);
  });

  it('refuses a role that cannot even tell whether the schema is current', () => {
    expect(productionDatabaseProblems(appRole, { readable: false, table: '"migrations"' })).toEqual([expect.stringMatching(/may not read "migrations", so whether the schema is current cannot be told/)]);
  });

  it('refuses a schema that is not current, naming the migrations and the command', () => {
    expect(productionDatabaseProblems(appRole, { readable: true, pending: ['AppRole1764979200000'] })).toEqual([
      expect.stringMatching(/schema is not current \(1 migration\(s\) pending: AppRole1764979200000\).*npm run db:migrate/),
    ]);
  });
});

import { APP_ROLE } from './app-role';
import type { ConnectionRole } from './repositories/connection-role.repository';

/** Where the schema migrations stand, as the migrator reads them. */
export type MigrationState = { readable: true; pending: string[] } | { readable: false; table: string };

/**
 * Why the database connection may not serve production, one line each: the apps would hold
 * rights that let them rewrite the audit log or the schema, or would run on a schema that is
 * not current (in production they never migrate it themselves).
 */
export function productionDatabaseProblems(role: ConnectionRole, migrations: MigrationState): string[] {
  const problems: string[] = [];
  const as = `DATABASE_URL connects as "${role.name}"`;
  const instead = `connect as ${APP_ROLE} (README "Database roles and the audit log")`;
  if (role.superuser) problems.push(`${as}, a superuser: it could truncate the audit log or disable its triggers; ${instead}`);
  if (role.createsRolesOrDatabases) problems.push(`${as}, which may create roles or databases; ${instead}`);
  if (role.ownedTables.length > 0 && !role.superuser) problems.push(`${as}, which owns ${role.ownedTables.join(', ')}: it could alter, empty or drop them; ${instead}`);
  if (role.createsInSchema && !role.superuser) problems.push(`${as}, which may CREATE in schema ${role.schema} (DDL); ${instead}`);
  if (role.auditRights.length > 0 && !role.superuser && role.ownedTables.length === 0) {
    problems.push(`${as}, which may ${role.auditRights.join(', ')} query_audit; the apps only INSERT and SELECT it`);
  }
  if (!migrations.readable) {
    problems.push(`${as}, which may not read ${migrations.table}, so whether the schema is current cannot be told; ${instead}`);
  } else if (migrations.pending.length > 0) {
    problems.push(
      `database schema is not current (${migrations.pending.length} migration(s) pending: ${migrations.pending.join(', ')}); ` +
        'in production the apps do not migrate: run `npm run db:migrate` with DATABASE_MIGRATION_URL (the owner) first',
    );
  }
  return problems;
}

export class ProductionDatabaseError extends Error {
  constructor(readonly problems: string[]) {
    super(`database refused in production:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductionDatabaseError';
  }
}

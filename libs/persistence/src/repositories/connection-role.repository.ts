import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the role the apps connect as could do beyond its grants: the production checks read this. */
export interface ConnectionRole {
  name: string;
  schema: string;
  superuser: boolean;
  /** CREATEROLE (before PostgreSQL 16 it can grant itself any non-superuser role) or CREATEDB. */
  createsRolesOrDatabases: boolean;
  /** CREATE on the schema: it could run DDL. */
  createsInSchema: boolean;
  /** Tables of the schema it owns (directly or through a role it belongs to): it could alter, empty or drop them. */
  ownedTables: string[];
  /** Rights on query_audit it must not have. */
  auditRights: ('UPDATE' | 'DELETE' | 'TRUNCATE')[];
}

/** The connected role, from the catalog. */
@Injectable()
export class ConnectionRoleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async describe(): Promise<ConnectionRole> {
    const [row] = (await this.dataSource.query(`
      SELECT current_user AS name, current_schema() AS schema, r.rolsuper AS superuser, (r.rolcreaterole OR r.rolcreatedb) AS "createsRolesOrDatabases",
             has_schema_privilege(current_schema(), 'CREATE') AS "createsInSchema",
             ARRAY(SELECT c.relname::text FROM pg_class c
                   WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND pg_has_role(c.relowner, 'USAGE')
                   ORDER BY c.relname) AS "ownedTables",
             ARRAY(SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p
                   WHERE to_regclass('query_audit') IS NOT NULL AND has_table_privilege('query_audit', p)) AS "auditRights"
      FROM pg_roles r WHERE r.rolname = current_user`)) as ConnectionRole[];
    return row;
  }
}

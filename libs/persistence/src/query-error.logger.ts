import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM's logger in the apps. A failed query is logged by what PostgreSQL says in its fields
 * (SQLSTATE, table, constraint) and the statement's first words: never its parameters, its
 * message or its detail, which quote the values of events and rows (resident IDs, names).
 */
export class QueryErrorLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(describeQueryFailure(error, query));
  }
}

export function describeQueryFailure(error: string | Error, query: string): string {
  const { code, table, constraint } = (typeof error === 'object' ? error : {}) as { code?: unknown; table?: unknown; constraint?: unknown };
  const fields = [typeof code === 'string' ? `SQLSTATE ${code}` : undefined, typeof table === 'string' ? `table ${table}` : undefined, typeof constraint === 'string' ? `constraint ${constraint}` : undefined].filter(Boolean);
  const statement = query.trim().split(/\s+/).slice(0, 3).join(' ');
  return `query failed (${fields.join(', ') || 'no SQLSTATE'}): ${statement} …`;
}

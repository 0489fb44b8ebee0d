import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '../advisory-locks';
import type { PeriodFilter } from './performance.repository';

/** A stored situation bulletin; `content` is the figures it was built from (BulletinContent). */
export interface BulletinRow {
  id: string;
  number: string;
  periodKind: 'month' | 'quarter';
  periodFrom: string;
  periodTo: string;
  issuedBy: string;
  issuedAt: Date;
  content: unknown;
}

/** Lifecycle events a department published in a period, by type and what they came to. */
export interface LifecycleOutcomeCount {
  department: string;
  type: string;
  /** The stored outcome's status (applied, refused, no-effect), or null while undecided. */
  status: string | null;
  /** An objection's resolution (confirmed, revoked). */
  resolution: string | null;
  events: number;
}

export interface BlacklistAddition {
  memorandum: string;
  listCode: string;
  identifyingDepartment: string;
  entries: number;
  subjects: number;
}

const COLUMNS = `id::text AS id, number, period_kind AS "periodKind", period_from::text AS "periodFrom", period_to::text AS "periodTo", issued_by AS "issuedBy", issued_at AS "issuedAt", content`;

/** Situation bulletins (情况通报) and the figures only they read. */
@Injectable()
export class BulletinRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The next number of the year's series, under a transaction lock so two issues never take the
   * same one: `<prefix>〔<year>〕<n>号`.
   */
  async nextNumber(manager: EntityManager, prefix: string, year: number): Promise<string> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.bulletinNumber]);
    const [{ issued }] = await manager.query(`SELECT count(*)::int AS issued FROM situation_bulletin WHERE number LIKE $1`, [`${prefix}〔${year}〕%`]);
    return `${prefix}〔${year}〕${issued + 1}号`;
  }

  /** Stores a bulletin; false when its period has one already (the first stands). */
  async insert(manager: EntityManager, row: Omit<BulletinRow, 'issuedAt'> & { issuedAt: Date }): Promise<boolean> {
    const inserted = await manager.query(
      `INSERT INTO situation_bulletin (id, number, period_kind, period_from, period_to, issued_by, issued_at, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (period_kind, period_from) DO NOTHING RETURNING id`,
      [row.id, row.number, row.periodKind, row.periodFrom, row.periodTo, row.issuedBy, row.issuedAt, JSON.stringify(row.content)],
    );
    return inserted.length === 1;
  }

  async byNumber(number: string): Promise<BulletinRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM situation_bulletin WHERE number = $1`, [number]);
    return row;
  }

  async byPeriod(kind: 'month' | 'quarter', from: string): Promise<BulletinRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM situation_bulletin WHERE period_kind = $1 AND period_from = $2`, [kind, from]);
    return row;
  }

  /** The latest first, without their content. */
  async list(limit: number): Promise<Omit<BulletinRow, 'content'>[]> {
    return this.dataSource.query(`SELECT ${COLUMNS.replace(', content', '')} FROM situation_bulletin ORDER BY period_from DESC, period_kind LIMIT $1`, [limit]);
  }

  /** Repairs, removals and objections received in the period, per publishing department, with what each came to. */
  async lifecycleOutcomes(period: PeriodFilter, types: readonly string[]): Promise<LifecycleOutcomeCount[]> {
    return this.dataSource.query(
      `SELECT substring(source from 14) AS department, type, outcome->>'status' AS status,
              CASE WHEN type = 'credit.objection.resolved.v1' THEN envelope->'data'->>'outcome' END AS resolution, count(*)::int AS events
       FROM inbound_event
       WHERE received_at >= $1 AND received_at < $2 AND source LIKE '/departments/%' AND type = ANY($3::text[])
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [period.from, period.until, types],
    );
  }

  /** Blacklist entries created in the period, per memorandum, list and identifying department. */
  async blacklistAdditions(period: PeriodFilter): Promise<BlacklistAddition[]> {
    return this.dataSource.query(
      `SELECT memorandum_id AS memorandum, list_code AS "listCode", identifying_department AS "identifyingDepartment",
              count(*)::int AS entries, count(DISTINCT subject_id)::int AS subjects
       FROM list_entry WHERE list_type = 'black' AND created_at >= $1 AND created_at < $2
       GROUP BY 1, 2, 3 ORDER BY entries DESC, 1, 3`,
      [period.from, period.until],
    );
  }
}

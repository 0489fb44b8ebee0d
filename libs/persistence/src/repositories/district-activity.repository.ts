import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DecisionsOnDay {
  /** China date (YYYY-MM-DD). */
  day: string;
  memorandumId: string;
  decisions: number;
}

export interface ListSize {
  listCode: string;
  active: number;
}

/** The district at a glance beyond department performance: decisions a day per memorandum, and the lists' sizes. */
@Injectable()
export class DistrictActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Decisions stored in [from, until), by China day and memorandum. */
  decisionsPerDay(from: Date, until: Date): Promise<DecisionsOnDay[]> {
    return this.dataSource.query(
      `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, memorandum_id AS "memorandumId", count(*)::int AS decisions
         FROM decision WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, until],
    );
  }

  /** Entries in force today (active and not past valid_to), per list. */
  listSizes(today: string): Promise<ListSize[]> {
    return this.dataSource.query(
      `SELECT list_code AS "listCode", count(*)::int AS active FROM list_entry WHERE state = 'active' AND valid_to >= $1::date GROUP BY 1 ORDER BY 1`,
      [today],
    );
  }
}

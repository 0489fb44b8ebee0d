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

export interface DeadLettersByReason {
  /** A registered department; null for the credit office's (no department, or one the registry does not know). */
  department: string | null;
  /** The stable error code the message was refused with. */
  errorCode: string;
  deadLetters: number;
}

/** The district at a glance beyond department performance: decisions a day per memorandum, dead letters by reason, and the lists' sizes. */
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

  /**
   * Dead letters received in [from, until), by department and error code. A department the
   * registry does not know is counted as no department: its code came from the refused message
   * itself (a claimed source), as DeadLetterService gives such letters to the credit office.
   */
  deadLettersByReason(from: Date, until: Date, departments: readonly string[]): Promise<DeadLettersByReason[]> {
    return this.dataSource.query(
      `SELECT CASE WHEN department = ANY($3::text[]) THEN department END AS department, error_code AS "errorCode", count(*)::int AS "deadLetters"
         FROM dead_letter WHERE received_at >= $1 AND received_at < $2 GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
      [from, until, departments],
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

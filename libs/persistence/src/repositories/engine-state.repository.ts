import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { overdueTask } from '../columns/measure-task.columns';

/** What the engine's /metrics reads from the database when Prometheus scrapes: the inbox's wait and the overdue feedback. */
export interface EngineBacklog {
  /** Events accepted over HTTP and not yet decided (embedded transport; 0 with Kafka, whose backlog is consumer lag). */
  inboxPending: number;
  /** Seconds the oldest of them has waited; 0 when none waits. */
  inboxOldestSeconds: number;
  /** Active measure tasks past their feedback due date without feedback, by implementing department. */
  overdueByDepartment: { department: string; overdue: number }[];
}

@Injectable()
export class EngineStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async backlog(today: string): Promise<EngineBacklog> {
    const [[inbox], overdue] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS oldest FROM inbound_event WHERE status = 'pending'`,
      ) as Promise<{ pending: number; oldest: number }[]>,
      this.dataSource.query(
        `SELECT t.implementing_department AS department, count(*)::int AS overdue FROM measure_task t WHERE ${overdueTask('$1')} GROUP BY 1 ORDER BY 1`,
        [today],
      ) as Promise<{ department: string; overdue: number }[]>,
    ]);
    return { inboxPending: inbox.pending, inboxOldestSeconds: inbox.oldest, overdueByDepartment: overdue };
  }
}

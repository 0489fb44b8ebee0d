import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { ADVISORY_LOCKS } from '../advisory-locks';
import type { RuleContent } from '@app/rules';
import { RuleReleaseEntity } from '../entities/rule-release.entity';
import { returningRows } from '../returning-rows';

export interface NewRuleRelease {
  revision: string;
  content: RuleContent;
  author: string;
  notes: string;
  rolledBackFrom?: number;
  /** Approved as it is created (a rollback): by whom, and from when. */
  approval?: { approver: string; effectiveAt: Date };
}

/** Rule-set releases: numbered one at a time, approved once, never changed afterwards. */
@Injectable()
export class RuleReleaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new release (a draft unless approved with it), numbered after the last one (consecutive versions: numbering takes a transaction lock). */
  async create(release: NewRuleRelease): Promise<RuleReleaseEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.ruleReleaseVersion]);
      const [{ next }] = (await manager.query(`SELECT coalesce(max(version), 0) + 1 AS next FROM rule_release`)) as { next: number }[];
      const rows = (await manager.query(
        `INSERT INTO rule_release (version, revision, content, author, notes, rolled_back_from, approver, approved_at, effective_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, $8) RETURNING id`,
        [next, release.revision, JSON.stringify(release.content), release.author, release.notes, release.rolledBackFrom ?? null, release.approval?.approver ?? null, release.approval?.effectiveAt.toISOString() ?? null],
      )) as { id: string }[];
      return (await this.byId(manager, rows[0].id))!;
    });
  }

  /** Approve a draft; undefined if it is no longer a draft (approved meanwhile by someone else). */
  async approve(version: number, approver: string, effectiveAt: Date): Promise<RuleReleaseEntity | undefined> {
    const updated = returningRows<{ id: string }>(
      await this.dataSource.query(`UPDATE rule_release SET approver = $2, approved_at = now(), effective_at = $3 WHERE version = $1 AND approver IS NULL RETURNING id`, [
        version,
        approver,
        effectiveAt.toISOString(),
      ]),
    );
    return updated.length === 1 ? this.byId(this.dataSource.manager, updated[0].id) : undefined;
  }

  async byVersion(version: number): Promise<RuleReleaseEntity | undefined> {
    return (await this.dataSource.getRepository(RuleReleaseEntity).findOneBy({ version })) ?? undefined;
  }

  /** Every release, newest first. */
  async all(): Promise<RuleReleaseEntity[]> {
    return this.dataSource.getRepository(RuleReleaseEntity).find({ order: { version: 'DESC' } });
  }

  /** The approved releases, in order of taking effect: what the engine schedules. */
  async approved(): Promise<RuleReleaseEntity[]> {
    return this.dataSource.getRepository(RuleReleaseEntity).find({ where: { approver: Not(IsNull()) }, order: { effectiveAt: 'ASC', version: 'ASC' } });
  }

  private async byId(manager: EntityManager, id: string): Promise<RuleReleaseEntity | undefined> {
    return (await manager.getRepository(RuleReleaseEntity).findOneBy({ id })) ?? undefined;
  }
}

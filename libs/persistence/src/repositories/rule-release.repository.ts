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
  /** A change draft's base: the revision of the rule set it changes one file of. */
  baseRevision?: string;
  /** Approved as it is created (a rollback): by whom, from when, and the least lead the approver gave. */
  approval?: RuleReleaseApproval;
}

export interface RuleReleaseApproval {
  approver: string;
  /** Undefined: the earliest instant allowed, the lead after the database's now() (a server's own clock could only guess it). */
  effectiveAt: Date | undefined;
  /** RELEASE_MIN_LEAD_MS of the approving server: kept with the row, and the database holds effective_at to it on its own clock. */
  leadMs: number;
}

/** An approved release as the engines poll for it: when it takes effect, without its content (read once, when first seen). */
/** A release as a list shows it: every column but the content, and the memorandum files it holds. */
export type RuleReleaseSummaryRow = Omit<RuleReleaseEntity, 'content'> & { memoranda: string[] };

export interface ApprovedReleaseTime {
  id: string;
  version: number;
  effectiveAt: Date;
}

/** Why the database refused an approval whose checks passed on the approving server: another clock than the server's. */
export class ApprovalLeadViolation extends Error {
  constructor(readonly version: number | undefined) {
    super('the database refused the approval: its effective time is less than the approval lead after approved_at (the database clock)');
  }
}

/** The CHECKs of migration 1765670400000 that an approval can violate when the server's clock runs ahead of the database's. */
const LEAD_CONSTRAINTS = new Set(['ck_rule_release_lead', 'ck_rule_release_lead_floor']);

function isLeadViolation(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23514' && LEAD_CONSTRAINTS.has(driver.constraint ?? '');
}

/** Rule-set releases: numbered one at a time, approved once, never changed afterwards. */
@Injectable()
export class RuleReleaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new release (a draft unless approved with it), numbered after the last one (consecutive versions: numbering takes a transaction lock). */
  async create(release: NewRuleRelease): Promise<RuleReleaseEntity> {
    try {
      return await this.insert(release);
    } catch (error) {
      if (isLeadViolation(error)) throw new ApprovalLeadViolation(undefined);
      throw error;
    }
  }

  private async insert(release: NewRuleRelease): Promise<RuleReleaseEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.ruleReleaseVersion]);
      const [{ next }] = (await manager.query(`SELECT coalesce(max(version), 0) + 1 AS next FROM rule_release`)) as { next: number }[];
      const rows = (await manager.query(
        `INSERT INTO rule_release (version, revision, content, author, notes, rolled_back_from, approver, approved_at, effective_at, approval_lead_ms, base_revision)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, CASE WHEN $7::text IS NULL THEN NULL ELSE coalesce($8::timestamptz, now() + $9 * interval '1 millisecond') END, $9, $10) RETURNING id`,
        [
          next,
          release.revision,
          JSON.stringify(release.content),
          release.author,
          release.notes,
          release.rolledBackFrom ?? null,
          release.approval?.approver ?? null,
          release.approval?.effectiveAt?.toISOString() ?? null,
          release.approval?.leadMs ?? null,
          release.baseRevision ?? null,
        ],
      )) as { id: string }[];
      return (await this.byId(manager, rows[0].id))!;
    });
  }

  /**
   * Approve a draft; undefined if it is no longer a draft (approved meanwhile by someone else).
   * approved_at is the database's now(), and the database refuses an effective time less than
   * the lead after it (ApprovalLeadViolation), whichever server's clock the caller checked on.
   */
  async approve(version: number, approval: RuleReleaseApproval): Promise<RuleReleaseEntity | undefined> {
    let updated: { id: string }[];
    try {
      updated = returningRows<{ id: string }>(
        await this.dataSource.query(`UPDATE rule_release SET approver = $2, approved_at = now(), effective_at = coalesce($3::timestamptz, now() + $4 * interval '1 millisecond'), approval_lead_ms = $4 WHERE version = $1 AND approver IS NULL RETURNING id`, [
          version,
          approval.approver,
          approval.effectiveAt?.toISOString() ?? null,
          approval.leadMs,
        ]),
      );
    } catch (error) {
      if (isLeadViolation(error)) throw new ApprovalLeadViolation(version);
      throw error;
    }
    return updated.length === 1 ? this.byId(this.dataSource.manager, updated[0].id) : undefined;
  }

  async byVersion(version: number): Promise<RuleReleaseEntity | undefined> {
    return (await this.dataSource.getRepository(RuleReleaseEntity).findOneBy({ version })) ?? undefined;
  }

  /**
   * Every release without its content, newest first, with the names of the memoranda it holds:
   * what a list of releases shows (a page that follows the clock reads it every few seconds, and
   * each content is a rule set's whole text).
   */
  async summaries(): Promise<RuleReleaseSummaryRow[]> {
    const rows: (Omit<RuleReleaseSummaryRow, 'createdAt' | 'approvedAt' | 'effectiveAt'> & { createdAt: Date; approvedAt: Date | null; effectiveAt: Date | null })[] = await this.dataSource.query(
      `SELECT id, version, revision, author, approver, notes, created_at AS "createdAt", approved_at AS "approvedAt", effective_at AS "effectiveAt",
              approval_lead_ms AS "approvalLeadMs", base_revision AS "baseRevision", rolled_back_from AS "rolledBackFrom",
              ARRAY(SELECT jsonb_object_keys(content -> 'memoranda') ORDER BY 1) AS memoranda
       FROM rule_release ORDER BY version DESC`,
    );
    return rows;
  }

  /** The approved releases' versions and effective times, in order of taking effect: what the engines poll (content is read by version, once). */
  async approvedTimes(): Promise<ApprovedReleaseTime[]> {
    const rows = await this.dataSource.getRepository(RuleReleaseEntity).find({
      select: { id: true, version: true, effectiveAt: true },
      where: { approver: Not(IsNull()) },
      order: { effectiveAt: 'ASC', version: 'ASC' },
    });
    return rows.map((r) => ({ id: r.id, version: r.version, effectiveAt: r.effectiveAt! }));
  }

  private async byId(manager: EntityManager, id: string): Promise<RuleReleaseEntity | undefined> {
    return (await manager.getRepository(RuleReleaseEntity).findOneBy({ id })) ?? undefined;
  }
}
